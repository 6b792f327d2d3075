/**
 * Who is asking: every /api/v1 route needs a bearer API token or a session cookie, unless it says `auth: false`.
 * Each service then checks the role's capability and filters by the principal's account, so ids of another account
 * answer 404 exactly like ids that do not exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import type { Ctx, Principal } from '../platform/context.js';

/**
 * How a token or session id becomes a principal: the accounts module's lookups, handed in by app.ts. Route files import
 * this file, so it imports no module (accounts' routes import it: importing accounts here would close a circle).
 */
export interface PrincipalLookup {
  principalFromToken(ctx: Ctx, token: string): Promise<Principal | null>;
  principalFromSession(ctx: Ctx, sessionId: string): Promise<Principal | null>;
}

export const SESSION_COOKIE = 'earshot_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export async function resolvePrincipal(app: FastifyInstance, req: FastifyRequest, lookup: PrincipalLookup): Promise<Principal | null> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError('unauthorized', 'Authorization must be "Bearer <token>"', 401);
    const p = await lookup.principalFromToken(app.ctx, m[1]);
    if (!p) throw new AppError('unauthorized', 'Unknown or revoked API token', 401);
    return { ...p, ip: req.ip };
  }
  const sid = req.cookies?.[SESSION_COOKIE];
  if (sid) {
    const p = await lookup.principalFromSession(app.ctx, sid);
    if (!p) return null;
    // Cookies ride along on cross-site requests; SameSite=Lax stops most, and a foreign Origin stops the rest.
    if (UNSAFE.has(req.method)) {
      // `Origin: null` (a sandboxed frame, a no-referrer page) or anything unparsable is not this site either.
      const origin = req.headers.origin;
      if (origin && originHost(origin) !== req.headers.host)
        throw new AppError('forbidden', 'headers/origin: cross-site request refused (the Origin is not this site)', 403, { field: 'headers/origin' });
    }
    return { ...p, ip: req.ip };
  }
  return null;
}

export function registerAuth(app: FastifyInstance<any, any, any, any, any>, lookup: PrincipalLookup) {
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    // Decided by the route the router matched, never by the raw URL: the router decodes the path, so `/%61pi/v1/…`
    // reaches an /api/v1/ route without starting with '/api/v1/' (issue 14 item 8). No matched route: a 404 follows.
    const routed = req.routeOptions.url;
    if (!routed?.startsWith('/api/v1/')) return;
    if (req.routeOptions.config?.auth === false) return;
    const p = await resolvePrincipal(app, req, lookup);
    if (!p) throw new AppError('unauthorized', 'Sign in or send an API token (Authorization: Bearer es_…)', 401);
    req.principal = p;
  });
}

/** The principal of an authenticated route (the hook guarantees it). */
export function who(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthorized', 'Not signed in', 401);
  return req.principal;
}

/**
 * Whether a cookie set in answer to `req` is Secure: always when the request came over HTTPS — directly, or per
 * X-Forwarded-Proto from a proxy TRUST_PROXY names (Fastify's req.protocol reads the header only then) — whatever
 * COOKIE_SECURE says; otherwise per COOKIE_SECURE ('auto': also on localhost, where browsers accept it over http).
 */
export function cookieSecure(app: FastifyInstance<any, any, any, any, any>, req: FastifyRequest) {
  if (req.protocol === 'https') return true;
  const mode = app.ctx.config.cookieSecure;
  if (mode !== 'auto') return mode === 'always';
  const host = (req.hostname ?? '').split(':')[0];
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}
