import type { Middleware, ParameterizedContext } from 'koa';
import { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user';
import { coalescingLoader } from '../../server/coalesce';
import { unauthorized } from '../../server/errors';
import type { Services } from '../../server/services';

export type Viewer = Omit<User, 'reputationOps'> & { _id: Types.ObjectId };

export interface AuthState {
  viewer?: Viewer;
  /** The id in a valid token, on routes that check the token only (`requireToken`). */
  viewerId?: Types.ObjectId;
  /** The JWT the viewer authenticated with, echoed back by GET /api/user. */
  token?: string;
}

const SCHEMES = /^(Token|Bearer)\s+(\S+)$/i;

/** Authenticated users looked up together; the ids of the votes counted in their reputation stay out. */
const viewers = coalescingLoader<string, Viewer>(async (ids) => {
  const users = await UserModel.find({ _id: { $in: [...new Set(ids)] } }, { reputationOps: 0 }).lean<Viewer[]>();
  return new Map(users.map((user) => [user._id.toString(), user]));
});

/**
 * Reads `Authorization: Token <jwt>` (or `Bearer <jwt>`). No header: anonymous. A header that is
 * malformed, expired, or names a deleted user: 401, so a client learns its session is gone.
 */
export function authenticate(services: Services): Middleware<AuthState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const { userId, token } = tokenIn(header, services);
      const viewer = await viewers.load(userId);
      if (!viewer) throw unauthorized('token names a user that no longer exists', 'token');
      ctx.state.viewer = viewer;
      ctx.state.token = token;
    }
    await next();
  };
}

/**
 * Requires a valid token and takes the user id from it without reading the user: for a route whose
 * command reads the user with its other reads (and refuses a user that no longer exists itself).
 */
export function requireToken(services: Services): Middleware<AuthState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (!header) throw unauthorized('authentication required: send Authorization: Token <jwt>', 'token');
    ctx.state.viewerId = new Types.ObjectId(tokenIn(header, services).userId);
    await next();
  };
}

/** The token of an `Authorization` header and the user id it holds; 401 for anything but a valid token. */
function tokenIn(header: string, services: Services): { userId: string; token: string } {
  const match = SCHEMES.exec(header.trim());
  const userId = match ? services.tokens.verify(match[2]!) : null;
  if (!userId || !Types.ObjectId.isValid(userId)) throw unauthorized('token is missing, malformed or expired', 'token');
  return { userId, token: match![2]! };
}

export const requireViewer: Middleware<AuthState> = async (ctx, next) => {
  if (!ctx.state.viewer) throw unauthorized('authentication required: send Authorization: Token <jwt>', 'token');
  await next();
};

/** The authenticated user of a route guarded by requireViewer. */
export function viewerOf(ctx: ParameterizedContext<AuthState>): Viewer {
  const viewer = ctx.state.viewer;
  if (!viewer) throw unauthorized('authentication required', 'token');
  return viewer;
}
