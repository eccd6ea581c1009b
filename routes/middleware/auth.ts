import type { Middleware, ParameterizedContext } from 'koa';
import { Types } from 'mongoose';
import { loadViewer, type Viewer } from '../../commands/users/viewer';
import { SESSION_ENDED, sessionIsCurrent } from '../../lib/auth/sessions';
import { tokenOfAuthorization, type TokenSession } from '../../lib/auth/tokens';
import { forbidden, unauthorized } from '../../lib/errors';
import type { Services } from '../../server/services';

export type { Viewer };

export interface AuthState {
  viewer?: Viewer;
  /** The id in a valid token, on routes that check the token only (`requireToken`). */
  viewerId?: Types.ObjectId;
  /** The JWT the viewer authenticated with, echoed back by GET /api/user. */
  token?: string;
  /** The session that token carries (checked current against the user on `authenticate` routes). */
  session?: TokenSession;
}

/**
 * Reads `Authorization: Token <jwt>` (or `Bearer <jwt>`). No header: anonymous. A header that is
 * malformed, expired, names a deleted user, or whose session has ended (logout, password change; the
 * user's session state is read with the user, so this holds across processes): 401, so a client
 * learns its session is gone.
 */
export function authenticate(services: Services): Middleware<AuthState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const { session, token } = tokenIn(header, services);
      const viewer = await loadViewer(session.subject);
      if (!viewer) throw unauthorized('token names a user that no longer exists', 'token');
      if (!sessionIsCurrent(viewer, session)) throw unauthorized(SESSION_ENDED, 'token');
      ctx.state.viewer = viewer;
      ctx.state.token = token;
      ctx.state.session = session;
    }
    await next();
  };
}

/**
 * Requires a valid token and takes the user id from it without reading the user: for a route whose
 * command reads the user with its other reads and refuses, itself, a user that no longer exists or a
 * session that has ended (`ctx.state.session`, checked with `sessionIsCurrent`).
 */
export function requireToken(services: Services): Middleware<AuthState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (!header) throw unauthorized('authentication required: send Authorization: Token <jwt>', 'token');
    const { session, token } = tokenIn(header, services);
    ctx.state.viewerId = new Types.ObjectId(session.subject);
    ctx.state.token = token;
    ctx.state.session = session;
    await next();
  };
}

/** The token of an `Authorization` header and the session it holds; 401 for anything but a valid token. */
function tokenIn(header: string, services: Services): { session: TokenSession; token: string } {
  const token = tokenOfAuthorization(header);
  const session = token === undefined ? null : services.tokens.verifySession(token);
  if (!session || !Types.ObjectId.isValid(session.subject)) throw unauthorized('token is missing, malformed or expired', 'token');
  return { session, token: token! };
}

export const requireViewer: Middleware<AuthState> = async (ctx, next) => {
  if (!ctx.state.viewer) throw unauthorized('authentication required: send Authorization: Token <jwt>', 'token');
  await next();
};

/** Requires an authenticated viewer holding `role` (granted with `npm run admin -- grant <username>`); 403 otherwise. */
export function requireRole(role: string): Middleware<AuthState> {
  return async (ctx, next) => {
    if (!viewerOf(ctx).roles?.includes(role)) throw forbidden(`only accounts with the ${role} role may do this`, 'user');
    await next();
  };
}

/** The authenticated user of a route guarded by requireViewer. */
export function viewerOf(ctx: ParameterizedContext<AuthState>): Viewer {
  const viewer = ctx.state.viewer;
  if (!viewer) throw unauthorized('authentication required', 'token');
  return viewer;
}
