import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SESSION_COOKIE, cookieSecure, who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as S from './accounts.schemas.js';
import * as svc from './accounts.service.js';
import * as pw from './passwords.service.js';

const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.post('/auth/login', {
    config: { auth: false, rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password; sets the session cookie',
      security: [],
      body: S.LoginBody,
      response: { 200: S.LoginOut },
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

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End this session', response: { 200: S.Ok } } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await svc.logout(ctx, sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  // The web app's sign-in probe: 200 either way, so a signed-out visitor's browser logs no failed request (a 401 from
  // /me is shown as a console error by every browser). API clients keep using /me, which answers 401.
  app.get('/auth/session', {
    config: { auth: false },
    schema: { tags: ['auth'], summary: 'The web app\'s session probe: who is signed in by this cookie, or signedIn false', security: [], response: { 200: S.Session } },
  }, async (req) => {
    const sid = req.cookies[SESSION_COOKIE];
    const p = sid ? await svc.principalFromSession(ctx, sid) : null;
    if (!p) return { signedIn: false as const };
    return {
      signedIn: true as const,
      role: p.role,
      kind: p.kind,
      user: p.userId ? await svc.getUser(ctx, p, p.userId) : null,
      account: await svc.getAccount(ctx, p),
    };
  });

  // Invitations and "Forgot password?" (passwords.service.ts). The link's token travels in the body, never in a URL.
  const tokenLimit = { max: ctx.config.loginRateLimit, timeWindow: '1 minute' };
  app.post('/auth/password/forgot', {
    config: { auth: false, rateLimit: tokenLimit },
    schema: {
      tags: ['auth'],
      summary: 'Forgot password: emails a single-use reset link (valid 1 hour) to every active user with this address; answers the same for unknown addresses',
      security: [],
      body: S.ForgotBody,
      response: { 202: S.Ok },
    },
  }, async (req, reply) => {
    await pw.requestReset(ctx, req.body.email);
    return reply.code(202).send({ ok: true as const });
  });
  app.post('/auth/password/check', {
    config: { auth: false, rateLimit: { max: ctx.config.publicRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'What an invitation or reset link is for (state valid, used, expired or unknown), before the person types a password',
      security: [],
      body: S.CheckBody,
      response: { 200: S.LinkCheck },
    },
  }, async (req) => pw.checkToken(ctx, req.body.token));
  app.post('/auth/password/set', {
    config: { auth: false, rateLimit: tokenLimit },
    schema: {
      tags: ['auth'],
      summary: 'Set the password with an invitation or reset link (once, before it expires); ends every session of the user',
      security: [],
      body: S.SetPasswordBody,
      response: { 200: S.PasswordSet },
    },
  }, async (req) => {
    const r = await pw.setPasswordWithToken(ctx, req.body.token, req.body.password, { ip: req.ip });
    return { ok: true as const, email: r.email };
  });

  app.get('/me', { schema: { tags: ['auth'], summary: 'Who am I: user (or token), role and account', response: { 200: S.Me } } }, async (req) => {
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
      body: S.PresenceBody,
      response: { 200: S.User },
    },
  }, async (req) => svc.setPresence(ctx, who(req), req.body.presence));

  app.put('/me/locale', {
    schema: {
      tags: ['users'],
      summary: 'Set my language (en, de, nb): the web app uses it from the next sign-in on',
      body: S.LocaleBody,
      response: { 200: S.User },
    },
  }, async (req) => svc.setMyLocale(ctx, who(req), req.body.locale));

  app.get('/account', { schema: { tags: ['account'], response: { 200: S.Account }, summary: 'This account' } }, async (req) => svc.getAccount(ctx, who(req)));
  app.patch('/account', {
    schema: {
      tags: ['account'],
      response: { 200: S.Account }, summary: 'Change account settings (admin)',
      body: S.AccountPatch,
    },
  }, async (req) => svc.updateAccount(ctx, who(req), req.body));

  app.get('/users', { schema: { tags: ['users'], response: { 200: S.UserList }, summary: 'Users of this account' } }, async (req) => ({ items: await svc.listUsers(ctx, who(req)) }));
  app.post('/users', {
    schema: {
      tags: ['users'],
      response: { 201: S.User }, summary: 'Add a user (admin); without a password the user gets an invitation email',
      body: S.UserBody,
    },
  }, async (req, reply) => reply.code(201).send(await svc.addUser(ctx, who(req), req.body)));
  app.post('/users/:id/invitation', {
    schema: {
      tags: ['users'],
      summary: 'Send the invitation email again (admin; users who have not set a password); earlier links stop working',
      params: IdParams,
      response: { 201: S.Invitation },
    },
  }, async (req, reply) => reply.code(201).send(await pw.sendInvitation(ctx, who(req), req.params.id)));
  app.get('/users/:id', { schema: { tags: ['users'], response: { 200: S.User }, summary: 'One user', params: IdParams } }, async (req) => {
    const p = who(req);
    return svc.getUser(ctx, p, req.params.id);
  });
  app.patch('/users/:id', {
    schema: {
      tags: ['users'],
      response: { 200: S.User }, summary: 'Change a user: role, capacity, disable, password (admin)',
      params: IdParams,
      body: S.UserPatch,
    },
  }, async (req) => svc.updateUser(ctx, who(req), req.params.id, req.body));

  app.get('/teams', { schema: { tags: ['teams'], response: { 200: S.TeamList }, summary: 'Teams' } }, async (req) => ({ items: await svc.listTeams(ctx, who(req)) }));
  app.post('/teams', {
    schema: {
      tags: ['teams'],
      response: { 201: S.Team }, summary: 'Create a team (supervisor, admin)',
      body: S.TeamBody,
    },
  }, async (req, reply) => reply.code(201).send(await svc.createTeam(ctx, who(req), req.body)));
  app.put('/teams/:id/members', {
    schema: {
      tags: ['teams'],
      summary: 'Replace the members of a team (supervisor, admin)',
      params: IdParams,
      body: S.MembersBody,
      response: { 200: S.Team },
    },
  }, async (req) => svc.setTeamMembers(ctx, who(req), req.params.id, req.body.memberIds));

  app.get('/tokens', { schema: { tags: ['tokens'], response: { 200: S.ApiTokenList }, summary: 'API tokens (admin) and who created each; secrets are never shown again' } }, async (req) => ({
    items: await svc.listTokens(ctx, who(req)),
  }));
  app.post('/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token (admin); the answer shows the secret once',
      body: S.TokenBody,
      response: { 201: S.NewApiToken },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createToken(ctx, who(req), req.body)));
  app.delete('/tokens/:id', { schema: { tags: ['tokens'], summary: 'Revoke an API token (admin)', params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await svc.revokeToken(ctx, who(req), req.params.id);
    return reply.code(204).send(null);
  });
};
export default accountRoutes;
