/**
 * Public community pages, no script: /community/:account (questions, search, ask), /community/:account/questions/:id
 * (answers, answer, "this helped"). Reading is public; posting needs the portal's magic-link session.
 *
 * The portal cookie is scoped to /portal/<account>, so it never reaches these pages. GET /portal/:account/community
 * (under the portal path, so it sees the portal cookie) hands the same session over in a second cookie scoped to
 * /community/<account>; the session stays the portal's (checked with sessionCustomer on every request, ended by the
 * portal's sign-out), and forms carry the portal's CSRF token for it.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/types.js';
import { cookieSecure } from '../../server/auth.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import {
  acceptForms,
  esc,
  errorBox,
  page,
  publicLimits,
  sameOrigin,
  sendHtml,
  type Form,
  localeOf,
  PORTAL_COOKIE,
} from '../channels/portal/index.js';
import * as web from '../channels/portal/index.js';
import * as portal from '../channels/portal/index.js';
import * as svc from './community.service.js';
import { ct, ctCount, type CtKey } from './texts.js';
import { Type } from 'typebox';
import { AccountIdParams, AccountParams, FormBody, HtmlAnswer, PageQuery, SeeOther } from '../channels/portal/index.js';

export const COMMUNITY_COOKIE = 'earshot_community';

type Req = FastifyRequest<{ Params: { account: string; id?: string }; Querystring: Record<string, string | undefined>; Body: Form }>;

class PageError extends Error {
  constructor(readonly status: number, readonly key: CtKey, readonly back?: string) {
    super(key);
  }
}

const CSS = `<style>.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:4px;background:#e6eefa;color:#1a4a85;margin-left:.25rem}
.badge.ok{background:#e3f3e8;color:#1d5e33}.row{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}.row div{flex:1}.row button{margin-top:0}
.inline{display:inline}.inline button{margin-top:.5rem;padding:.3rem .8rem}.held{border-style:dashed}.post .text{white-space:pre-wrap;overflow-wrap:anywhere}
.check label{display:inline;font-weight:400}</style>`;

export default async function communityPages(app: App) {
  const ctx = app.ctx;
  const pub = ctx.config.publicRateLimit;
  const { pageLimit, postLimit } = publicLimits(pub);

  acceptForms(app);

  const base = (a: web.PublicAccount) => `/community/${a.slug}`;

  app.setErrorHandler((err: any, req: FastifyRequest, reply) => {
    const locale = localeOf(req);
    let status = 500;
    let key: CtKey = 'err_generic';
    let back: string | undefined;
    if (err instanceof PageError) ({ status, key, back } = err);
    else if (err?.statusCode === 429) {
      status = 429;
      key = 'err_rate';
    } else if (err instanceof AppError) {
      status = err.status;
      key = ({ banned: 'err_banned', not_member: 'err_not_member', own_answer: 'err_own', name_taken: 'err_name_taken', name_refused: 'err_name', not_found: 'err_not_found', validation: 'err_invalid' } as Record<string, CtKey>)[err.code] ?? 'err_generic';
      if (err.code === 'validation' && (err.details as any)?.field === 'displayName') key = 'err_name';
    } else if (err?.statusCode >= 400 && err?.statusCode < 500) {
      status = err.statusCode;
      key = 'err_invalid';
    }
    if (status >= 500) req.log.error({ err: { message: err?.message, stack: err?.stack } }, 'community page failed');
    const slug = (req.params as any)?.account;
    back ??= typeof slug === 'string' && /^[a-z0-9-]+$/.test(slug) ? `/community/${slug}?lang=${locale}` : undefined;
    return sendHtml(reply, page({
      locale, title: ct(locale, 'error_title'), accountName: 'Earshot', path: req.url.split('?')[0],
      body: `${errorBox([ct(locale, key)])}${back ? `<p><a href="${esc(back)}">${esc(ct(locale, 'back'))}</a></p>` : ''}`,
    }), status);
  });

  /** The signed-in customer (portal session handed over to the community path), or null. */
  const session = async (req: Req, a: web.PublicAccount) => {
    const sid = req.cookies[COMMUNITY_COOKIE];
    const customerId = await portal.sessionCustomer(ctx, a, sid);
    return customerId && sid ? { customerId, sid } : null;
  };
  const signedInPost = async (req: Req, a: web.PublicAccount) => {
    if (!sameOrigin(req)) throw new PageError(403, 'err_cross_site');
    const s = await session(req, a);
    if (!s) throw new PageError(401, 'err_sign_in', `/portal/${a.slug}/community`);
    if (!portal.csrfOk(s.sid, req.body?.csrf)) throw new PageError(403, 'err_token');
    return s;
  };

  const badge = (locale: Locale, m: svc.Member) =>
    `${m.badge ? `<span class="badge">${esc(ct(locale, `badge_${m.badge}` as CtKey))}</span>` : ''}<span class="muted"> · ${esc(ctCount(locale, 'points', m.points))}</span>`;
  const when = (locale: Locale, d: string) =>
    new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(d));
  const notice = (locale: Locale, n: string | undefined) => {
    const key = ({ held: 'held_note', posted: 'posted_note', joined: 'joined_note', voted: 'voted_note' } as Record<string, CtKey>)[n ?? ''];
    return key ? `<div class="ok" role="status"><p>${esc(ct(locale, key))}</p></div>` : '';
  };

  /** Who is here: sign-in link, display-name form, or "signed in as". */
  const whoBox = async (a: web.PublicAccount, locale: Locale, s: { customerId: string; sid: string } | null) => {
    if (!s) return { member: null, box: `<p class="box"><a href="/portal/${esc(a.slug)}/community?lang=${locale}">${esc(ct(locale, 'sign_in'))}</a></p>` };
    const m = await svc.memberFor(ctx.db, a.id, s.customerId);
    if (m) return { member: m, box: `<p class="muted">${esc(ct(locale, 'signed_in_as', { name: m.displayName }))} ${badge(locale, m)}</p>` };
    return {
      member: null,
      box: `<form method="post" action="${base(a)}/join?lang=${locale}" class="box"><h2>${esc(ct(locale, 'join_title'))}</h2>
<input type="hidden" name="csrf" value="${esc(portal.csrfToken(s.sid))}">
<label for="c-name">${esc(ct(locale, 'join_label'))}</label><input id="c-name" name="displayName" type="text" required minlength="2" maxlength="40" autocomplete="nickname">
<button type="submit">${esc(ct(locale, 'join_button'))}</button></form>`,
    };
  };

  // Hand-over of the portal session (see the file comment).
  app.get('/portal/:account/community', { config: { rateLimit: pageLimit }, schema: { hide: true, params: AccountParams, querystring: PageQuery(), response: { 303: SeeOther } } }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const sid = req.cookies[PORTAL_COOKIE];
    if (!(await portal.sessionCustomer(ctx, a, sid))) return reply.redirect(`/portal/${a.slug}?lang=${locale}`, 303);
    reply.setCookie(COMMUNITY_COOKIE, sid!, {
      path: base(a), httpOnly: true, sameSite: 'lax', secure: cookieSecure(app, req), maxAge: portal.SESSION_TTL_MS / 1000,
    });
    return reply.redirect(`${base(a)}?lang=${locale}`, 303);
  });

  app.get('/community/:account', {
    config: { rateLimit: pageLimit },
    schema: {
      hide: true, params: AccountParams, response: HtmlAnswer,
      querystring: PageQuery({ q: Type.Optional(Type.String()), unanswered: Type.Optional(Type.String()), notice: Type.Optional(Type.String()) }),
    },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const q = (req.query.q ?? '').slice(0, 300).trim();
    const unanswered = req.query.unanswered === '1';
    const s = await session(req, a);
    const [list, helpers, me] = await Promise.all([
      svc.listQuestions(ctx.db, a.id, { q, unanswered }),
      svc.topHelpers(ctx.db, a.id, 5),
      whoBox(a, locale, s),
    ]);
    const items = list.length
      ? `<ul class="list">${list.map((x) => `<li><a href="${base(a)}/questions/${x.id}?lang=${locale}" lang="${esc(x.lang)}">${esc(x.title)}</a>${x.verified ? `<span class="badge ok">${esc(ct(locale, 'verified'))}</span>` : ''}<br>
<span class="muted">${esc(ct(locale, 'by', { name: x.author }))} · ${esc(when(locale, x.createdAt))} · ${esc(ctCount(locale, 'answers_n', x.answers))}</span></li>`).join('')}</ul>`
      : `<p>${esc(ct(locale, 'no_questions'))}</p>`;
    const askForm = me.member
      ? `<form method="post" action="${base(a)}/ask?lang=${locale}" class="box"><h2>${esc(ct(locale, 'ask_title'))}</h2>
<input type="hidden" name="csrf" value="${esc(portal.csrfToken(s!.sid))}">
<label for="c-title">${esc(ct(locale, 'q_title'))}</label><input id="c-title" name="title" type="text" required minlength="5" maxlength="200">
<label for="c-body">${esc(ct(locale, 'q_body'))}</label><textarea id="c-body" name="body" required maxlength="10000"></textarea>
<button type="submit">${esc(ct(locale, 'ask_button'))}</button></form>`
      : '';
    const top = helpers.length
      ? `<h2>${esc(ct(locale, 'top_helpers'))}</h2><ol>${helpers.map((m) => `<li>${esc(m.displayName)} ${badge(locale, m)}</li>`).join('')}</ol>`
      : '';
    const body = `${CSS}${notice(locale, req.query.notice)}<p>${esc(ct(locale, 'intro'))} <a href="/help/${esc(a.slug)}?lang=${locale}">${esc(ct(locale, 'help_link'))}</a></p>
${me.box}
<form method="get" action="${base(a)}" class="box" role="search"><div class="row"><div><label for="c-q">${esc(ct(locale, 'search_label'))}</label>
<input id="c-q" name="q" type="text" maxlength="300" value="${esc(q)}"></div><button type="submit">${esc(ct(locale, 'search_button'))}</button></div>
<p class="check"><input id="c-un" name="unanswered" type="checkbox" value="1"${unanswered ? ' checked' : ''}> <label for="c-un">${esc(ct(locale, 'unanswered_first'))}</label></p>
<input type="hidden" name="lang" value="${locale}"></form>
<h2>${esc(ct(locale, 'questions'))}</h2>${items}${askForm}${top}`;
    return sendHtml(reply, page({ locale, title: ct(locale, 'title'), accountName: a.name, path: base(a), body }));
  });

  app.get('/community/:account/questions/:id', {
    config: { rateLimit: pageLimit },
    schema: { hide: true, params: AccountIdParams, querystring: PageQuery({ notice: Type.Optional(Type.String()) }), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const s = await session(req, a);
    const me = await whoBox(a, locale, s);
    const q = await svc.getQuestion(ctx.db, a.id, req.params.id!, { viewerMemberId: me.member?.id ?? null });
    const csrf = s ? `<input type="hidden" name="csrf" value="${esc(portal.csrfToken(s.sid))}">` : '';
    const post = (p: { body: string; lang: string; author: svc.Member; createdAt: string; status: string }, extra = '') =>
      `<article class="msg post${p.status === 'held' ? ' held' : ''}"><p class="meta">${esc(ct(locale, 'by', { name: p.author.displayName }))} ${badge(locale, p.author)} · ${esc(when(locale, p.createdAt))}</p>
${p.status === 'held' ? `<p class="muted"><strong>${esc(ct(locale, 'waiting'))}</strong></p>` : ''}<div class="text" lang="${esc(p.lang)}">${esc(p.body)}</div>${extra}</article>`;
    const answers = q.answers.length
      ? q.answers.map((x) => post(x, `${x.verified ? `<p><span class="badge ok">${esc(ct(locale, 'verified'))}</span> <span class="muted">${esc(ct(locale, 'verified_by', { name: x.verified.by ?? ct(locale, 'verified_team') }))}</span></p>` : ''}
<p class="muted">${esc(ctCount(locale, 'helpful_n', x.helpful))}</p>${me.member && !x.mine && x.status === 'visible'
          ? `<form method="post" action="${base(a)}/answers/${x.id}/helpful?lang=${locale}" class="inline">${csrf}<button type="submit">${esc(ct(locale, 'helpful_button'))}</button></form>`
          : ''}`)).join('\n')
      : `<p>${esc(ct(locale, 'no_answers'))}</p>`;
    const answerForm = me.member && q.status === 'visible'
      ? `<form method="post" action="${base(a)}/questions/${q.id}/answers?lang=${locale}" class="box">${csrf}
<label for="c-answer">${esc(ct(locale, 'answer_title'))}</label><textarea id="c-answer" name="body" required maxlength="10000"></textarea>
<button type="submit">${esc(ct(locale, 'answer_button'))}</button></form>`
      : '';
    const body = `${CSS}<p><a href="${base(a)}?lang=${locale}">${esc(ct(locale, 'back'))}</a></p>${notice(locale, req.query.notice)}
${post(q)}
<h2>${esc(ct(locale, 'answers'))}</h2>
${answers}
${me.box}${answerForm}`;
    return sendHtml(reply, page({ locale, title: q.title, accountName: a.name, path: `${base(a)}/questions/${q.id}`, body }));
  });

  app.post('/community/:account/join', {
    config: { rateLimit: postLimit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery(), body: FormBody(['csrf', 'displayName']), response: { 303: SeeOther } },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const s = await signedInPost(req, a);
    await svc.join(ctx, a.id, s.customerId, req.body?.displayName ?? '');
    return reply.redirect(`${base(a)}?lang=${locale}&notice=joined`, 303);
  });

  app.post('/community/:account/ask', {
    config: { rateLimit: postLimit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery(), body: FormBody(['csrf', 'title', 'body']), response: { 303: SeeOther } },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const s = await signedInPost(req, a);
    const r = await svc.ask(ctx, a.id, s.customerId, req.body?.title ?? '', req.body?.body ?? '');
    return reply.redirect(`${base(a)}/questions/${r.id}?lang=${locale}&notice=${r.status === 'held' ? 'held' : 'posted'}`, 303);
  });

  app.post('/community/:account/questions/:id/answers', {
    config: { rateLimit: postLimit },
    schema: { hide: true, params: AccountIdParams, querystring: PageQuery(), body: FormBody(['csrf', 'body']), response: { 303: SeeOther } },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const s = await signedInPost(req, a);
    const r = await svc.answer(ctx, a.id, s.customerId, req.params.id!, req.body?.body ?? '');
    return reply.redirect(`${base(a)}/questions/${req.params.id}?lang=${locale}&notice=${r.status === 'held' ? 'held' : 'posted'}`, 303);
  });

  app.post('/community/:account/answers/:id/helpful', {
    config: { rateLimit: pageLimit },
    schema: { hide: true, params: AccountIdParams, querystring: PageQuery(), body: FormBody(['csrf']), response: { 303: SeeOther } },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const s = await signedInPost(req, a);
    const r = await svc.helpful(ctx, a.id, s.customerId, req.params.id!);
    return reply.redirect(`${base(a)}/questions/${r.questionId}?lang=${locale}&notice=voted`, 303);
  });
}
