import Router from '@koa/router';
import { authenticateUser } from '../../commands/users/authenticateUser';
import { registerUser } from '../../commands/users/registerUser';
import { endSession } from '../../commands/users/sessions';
import { updateUser } from '../../commands/users/updateUser';
import { validate } from '../middleware/validate';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentUser } from '../presenters/user';
import { loginSchema, registerSchema, updateUserSchema } from './schema';

export function usersRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });

  router.post('/users', services.rateLimits.signup, validate({ body: registerSchema }), async (ctx) => {
    const created = await registerUser(ctx.state.input.body.user);
    ctx.status = 201;
    ctx.body = { user: presentUser(created, services.tokens.issue(created.id, created.sessionEpoch ?? 0)) };
  });

  router.post('/users/login', services.rateLimits.login, validate({ body: loginSchema }), async (ctx) => {
    const found = await authenticateUser(ctx.state.input.body.user);
    ctx.body = { user: presentUser(found, services.tokens.issue(found.id, found.sessionEpoch ?? 0)) };
  });

  router.get('/user', authenticate(services), requireViewer, (ctx) => {
    const viewer = viewerOf(ctx);
    ctx.body = { user: presentUser(viewer, ctx.state.token ?? services.tokens.issue(viewer._id.toString(), viewer.sessionEpoch ?? 0)) };
  });

  // A password change ends every session (the user's epoch moves on); the answer's token is in the new one.
  router.put('/user', authenticate(services), requireViewer, validate({ body: updateUserSchema }), async (ctx) => {
    const { user } = ctx.state.input.body;
    const updated = await updateUser(viewerOf(ctx)._id, {
      ...user,
      bio: user.bio === null ? '' : user.bio,
      image: user.image === null ? '' : user.image,
    });
    services.readCache.invalidate();
    ctx.body = { user: presentUser(updated, services.tokens.issue(updated.id, updated.sessionEpoch ?? 0)) };
  });

  // Ends the session of the token sent (other sessions stay); that token is refused from now on.
  router.post('/user/logout', authenticate(services), requireViewer, async (ctx) => {
    await endSession(viewerOf(ctx)._id, ctx.state.session!, services.tokens.nowSeconds());
    services.readCache.readers.forget(viewerOf(ctx)._id.toString());
    ctx.status = 204;
  });

  return router;
}
