import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { SESSION_COOKIE, cookieSecure, who } from '../../server/auth.js';
import { AccountOut, IdParams, Items, Locale, Out, Role, TeamOut, UserOut } from '../../server/schemas.js';
import * as svc from './accounts.service.js';
import * as pw from './passwords.service.js';

export default async function accountRoutes(app: App) {
  const ctx = app.ctx;

  app.post('/auth/login', {
    config: { auth: false, rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password; sets the session cookie',
      security: [],
      body: Type.Object({
        email: Type.String({ minLength: 3, maxLength: 320 }),
        password: Type.String({ minLength: 1, maxLength: 1000 }),
        account: Type.Optional(Type.String({ description: 'account slug, when the email is in several accounts' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const r = await svc.login(ctx, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] }).catch((e) => {
      // A locked address (per-account throttle) says when to come back, as the per-IP limit does.
      if (e?.code === 'login_locked') reply.header('retry-after', String(e.details?.retryAfterSeconds ?? 60));
      throw e;
    });
    reply.setCookie(SESSION_COOKIE, r.sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: cookieSecure(app, req),
      expires: r.expiresAt,
    });
    return { user: r.user, account: r.account, expiresAt: r.expiresAt };
  });

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End this session' } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await svc.logout(ctx, sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  // The web app's sign-in probe: 200 either way, so a signed-out visitor's browser logs no failed request (a 401 from
  // /me is shown as a console error by every browser). API clients keep using /me, which answers 401.
  app.get('/auth/session', {
    config: { auth: false },
    schema: { tags: ['auth'], summary: 'The web app\'s session probe: who is signed in by this cookie, or signedIn false', security: [] },
  }, async (req) => {
    const sid = req.cookies[SESSION_COOKIE];
    const p = sid ? await svc.principalFromSession(ctx, sid) : null;
    if (!p) return { signedIn: false };
    return {
      signedIn: true,
      role: p.role,
      kind: p.kind,
      user: p.userId ? await svc.getUser(ctx, p, p.userId) : null,
      account: await svc.getAccount(ctx, p),
    };
  });

  // Invitations and "Forgot password?" (passwords.service.ts). The link's token travels in the body, never in a URL.
  const tokenLimit = { max: ctx.config.loginRateLimit, timeWindow: '1 minute' };
  const Token = Type.String({ minLength: 1, maxLength: 200, description: 'the token from the emailed link (#token=…)' });
  app.post('/auth/password/forgot', {
    config: { auth: false, rateLimit: tokenLimit },
    schema: {
      tags: ['auth'],
      summary: 'Forgot password: emails a single-use reset link (valid 1 hour) to every active user with this address; answers the same for unknown addresses',
      security: [],
      body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    await pw.requestReset(ctx, req.body.email);
    return reply.code(202).send({ ok: true });
  });
  app.post('/auth/password/check', {
    config: { auth: false, rateLimit: { max: ctx.config.publicRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'What an invitation or reset link is for (state valid, used, expired or unknown), before the person types a password',
      security: [],
      body: Type.Object({ token: Token }, { additionalProperties: false }),
    },
  }, async (req) => pw.checkToken(ctx, req.body.token));
  app.post('/auth/password/set', {
    config: { auth: false, rateLimit: tokenLimit },
    schema: {
      tags: ['auth'],
      summary: 'Set the password with an invitation or reset link (once, before it expires); ends every session of the user',
      security: [],
      body: Type.Object({ token: Token, password: Type.String({ minLength: 10, maxLength: 1000 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const r = await pw.setPasswordWithToken(ctx, req.body.token, req.body.password, { ip: req.ip });
    return { ok: true, email: r.email };
  });

  app.get('/me', { schema: { tags: ['auth'], summary: 'Who am I: user (or token), role and account' } }, async (req) => {
    const p = who(req);
    return {
      role: p.role,
      kind: p.kind,
      user: p.userId ? await svc.getUser(ctx, p, p.userId) : null,
      account: await svc.getAccount(ctx, p),
    };
  });

  app.put('/me/presence', {
    schema: {
      tags: ['users'],
      summary: 'Set my presence (available users receive automatic assignments)',
      body: Type.Object({ presence: Type.Union([Type.Literal('available'), Type.Literal('busy'), Type.Literal('away'), Type.Literal('offline')]) }),
    },
  }, async (req) => svc.setPresence(ctx, who(req), req.body.presence));

  app.put('/me/locale', {
    schema: {
      tags: ['users'],
      summary: 'Set my language (en, de, nb): the web app uses it from the next sign-in on',
      body: Type.Object({ locale: Locale }, { additionalProperties: false }),
    },
  }, async (req) => svc.setMyLocale(ctx, who(req), req.body.locale));

  app.get('/account', { schema: { tags: ['account'], response: { 200: AccountOut }, summary: 'This account' } }, async (req) => svc.getAccount(ctx, who(req)));
  app.patch('/account', {
    schema: {
      tags: ['account'],
      response: { 200: AccountOut }, summary: 'Change account settings (admin)',
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1 })),
        timezone: Type.Optional(Type.String()),
        locale: Type.Optional(Locale),
        currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.updateAccount(ctx, who(req), req.body));

  app.get('/users', { schema: { tags: ['users'], response: { 200: Items(UserOut) }, summary: 'Users of this account' } }, async (req) => ({ items: await svc.listUsers(ctx, who(req)) }));
  app.post('/users', {
    schema: {
      tags: ['users'],
      response: { 201: UserOut }, summary: 'Add a user (admin); without a password the user gets an invitation email',
      body: Type.Object({
        email: Type.String({ format: 'email' }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        role: Role,
        password: Type.Optional(Type.String({ minLength: 10, maxLength: 1000 })),
        locale: Type.Optional(Locale),
        timezone: Type.Optional(Type.String()),
        capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
        invite: Type.Optional(Type.Boolean({ description: 'without a password: email an invitation link (default true)' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.addUser(ctx, who(req), req.body)));
  app.post('/users/:id/invitation', {
    schema: {
      tags: ['users'],
      summary: 'Send the invitation email again (admin; users who have not set a password); earlier links stop working',
      params: IdParams,
    },
  }, async (req, reply) => reply.code(201).send(await pw.sendInvitation(ctx, who(req), req.params.id)));
  app.get('/users/:id', { schema: { tags: ['users'], response: { 200: UserOut }, summary: 'One user', params: IdParams } }, async (req) => {
    const p = who(req);
    return svc.getUser(ctx, p, req.params.id);
  });
  app.patch('/users/:id', {
    schema: {
      tags: ['users'],
      response: { 200: UserOut }, summary: 'Change a user: role, capacity, disable, password (admin)',
      params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1 })),
        role: Type.Optional(Role),
        capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
        disabled: Type.Optional(Type.Boolean()),
        password: Type.Optional(Type.String({ minLength: 10, maxLength: 1000 })),
        locale: Type.Optional(Locale),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.updateUser(ctx, who(req), req.params.id, req.body));

  app.get('/teams', { schema: { tags: ['teams'], response: { 200: Items(TeamOut) }, summary: 'Teams' } }, async (req) => ({ items: await svc.listTeams(ctx, who(req)) }));
  app.post('/teams', {
    schema: {
      tags: ['teams'],
      response: { 201: TeamOut }, summary: 'Create a team (supervisor, admin)',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), memberIds: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.createTeam(ctx, who(req), req.body)));
  app.put('/teams/:id/members', {
    schema: {
      tags: ['teams'],
      summary: 'Replace the members of a team (supervisor, admin)',
      params: IdParams,
      body: Type.Object({ memberIds: Type.Array(Type.String()) }, { additionalProperties: false }),
    },
  }, async (req) => svc.setTeamMembers(ctx, who(req), req.params.id, req.body.memberIds));

  // createdBy: the person whose current rights bound the token (null: made by the operator on the command line).
  const TokenOut = Out({
    id: Type.String({ format: 'uuid' }), name: Type.String(), role: Role, prefix: Type.String(),
    createdBy: Type.Unsafe<{ id: string; name: string } | null>({
      type: ['object', 'null'], properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }, required: ['id', 'name'],
      description: 'who created the token; the token never has more rights than this user now (null: the operator, earshot token create)',
    }),
  });
  app.get('/tokens', { schema: { tags: ['tokens'], response: { 200: Items(TokenOut) }, summary: 'API tokens (admin) and who created each; secrets are never shown again' } }, async (req) => ({
    items: await svc.listTokens(ctx, who(req)),
  }));
  app.post('/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token (admin); the answer shows the secret once',
      body: Type.Object({ role: Role, name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.createToken(ctx, who(req), req.body)));
  app.delete('/tokens/:id', { schema: { tags: ['tokens'], summary: 'Revoke an API token (admin)', params: IdParams } }, async (req, reply) => {
    await svc.revokeToken(ctx, who(req), req.params.id);
    return reply.code(204).send();
  });
}
