/**
 * The public pages: contact form (/contact/:account) and customer portal (/portal/:account). Plain HTML forms,
 * no script; form posts are application/x-www-form-urlencoded, parsed here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../../server/types.js';
import { cookieSecure } from '../../../server/auth.js';
import { AppError } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n.js';
import { acceptForms, esc, errorBox, page, publicLimits, sameOrigin, sendHtml, type Form } from './html.js';
import { localeOf, t, type TextKey } from './texts.js';
import * as web from './contact.service.js';
import * as portal from './portal.service.js';
import { portalHelpLinks } from '../../knowledge/index.js';
import { AccountIdParams, AccountParams, FormBody, HtmlAnswer, HtmlPage, PageQuery, SeeOther } from './pages.schemas.js';

import { PORTAL_COOKIE } from './portal.service.js';
export { PORTAL_COOKIE };
const HONEYPOT = web.HONEYPOT;

type Req = FastifyRequest<{ Params: { account: string; id?: string }; Querystring: Record<string, string | undefined>; Body: Form }>;

declare module 'fastify' {
  interface FastifyRequest {
    webAccount?: web.PublicAccount;
  }
}

/** Refused with a page in the visitor's language. */
class PageError extends Error {
  constructor(readonly status: number, readonly key: TextKey, readonly backHref?: string) {
    super(key);
  }
}

export default async function pages(app: App) {
  const ctx = app.ctx;
  const pub = ctx.config.publicRateLimit;
  // Sending forms (new requests, sign-in links, sign-in) is rarer than reading: a sixth of the public limit.
  const { pageLimit, postLimit } = publicLimits(pub);

  acceptForms(app, 256 * 1024);

  const account = async (req: Req) => (req.webAccount = await web.publicAccount(ctx, req.params.account));
  const loc = (req: FastifyRequest) => localeOf(req, req.webAccount?.locale ?? 'en');

  /** Remembers a language picked with ?lang= for the next pages. */
  const rememberLang = (req: FastifyRequest, reply: FastifyReply) => {
    const q = (req.query as Record<string, unknown>)?.lang;
    if (q === 'en' || q === 'de' || q === 'nb')
      reply.setCookie('lang', q, { path: '/', sameSite: 'lax', maxAge: 365 * 86_400, secure: cookieSecure(app, req) });
  };


  app.setErrorHandler((err: any, req, reply) => {
    const locale = loc(req);
    let status = 500;
    let key: TextKey = 'err_generic';
    let back: string | undefined;
    // A message already written for the visitor in their language (respect: a refused chat or form).
    let said: string | undefined;
    if (err instanceof PageError) ({ status, key, backHref: back } = err);
    else if (err instanceof AppError && err.code === 'respect_refused') {
      status = err.status;
      said = err.message;
    } else if (err?.statusCode === 429 || err?.status === 429) {
      status = 429;
      key = 'err_rate';
    } else if (err instanceof AppError && err.status === 404) {
      status = 404;
      key = 'err_not_found';
    } else if (err?.statusCode >= 400 && err?.statusCode < 500) {
      status = err.statusCode;
      key = 'err_token_bad';
    } else req.log.error({ err: { message: err?.message, stack: err?.stack } }, 'web page failed');
    const a = req.webAccount;
    return sendHtml(
      reply,
      page({
        // An error page may stand at a URL with a token (a sign-in link); it has no form, so no referrer is needed.
        referrer: 'no-referrer',
        locale,
        title: t(locale, 'error_title'),
        accountName: a?.name ?? 'Earshot',
        path: req.url.split('?')[0],
        body: `${errorBox([said ?? t(locale, key)])}${back ? `<p><a href="${esc(back)}">${esc(t(locale, 'back'))}</a></p>` : ''}`,
      }),
      status,
    );
  });

  // ---------------------------------------------------------------- contact form

  const contactForm = async (a: web.PublicAccount, locale: Locale, values: Form = {}, problems: string[] = []) => {
    const topics = await web.topicsFor(ctx, a.id);
    const token = await web.formToken(ctx, a.id, 'contact');
    const field = (name: 'name' | 'email' | 'subject', type: string, auto: string) =>
      `<label for="f-${name}">${esc(t(locale, name))} <span class="muted">(${esc(t(locale, 'required'))})</span></label>
<input id="f-${name}" name="${name}" type="${type}" required autocomplete="${auto}" maxlength="${name === 'email' ? 320 : 250}" value="${esc(values[name])}">`;
    const topicSelect = topics.length
      ? `<label for="f-topic">${esc(t(locale, 'topic'))}</label>
<select id="f-topic" name="topic"><option value="">${esc(t(locale, 'topic_none'))}</option>${topics
          .map((tp) => `<option value="${esc(tp.key)}"${values.topic === tp.key ? ' selected' : ''}>${esc(web.topicLabel(tp, locale))}</option>`)
          .join('')}</select>`
      : '';
    return page({
      locale,
      title: t(locale, 'contact_title'),
      accountName: a.name,
      path: `/contact/${a.slug}`,
      body: `${errorBox(problems)}<p>${esc(t(locale, 'contact_intro'))}</p>
<form method="post" action="/contact/${esc(a.slug)}?lang=${locale}" class="box" novalidate>
<input type="hidden" name="formToken" value="${esc(token)}">
<input type="hidden" name="lang" value="${locale}">
${field('name', 'text', 'name')}
${field('email', 'email', 'email')}
${topicSelect}
${field('subject', 'text', 'off')}
<label for="f-message">${esc(t(locale, 'message'))} <span class="muted">(${esc(t(locale, 'required'))})</span></label>
<textarea id="f-message" name="message" required maxlength="20000">${esc(values.message)}</textarea>
<div class="hp" aria-hidden="true"><label for="f-${HONEYPOT}">${esc(t(locale, 'honeypot'))}</label><input id="f-${HONEYPOT}" name="${HONEYPOT}" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">${esc(t(locale, 'send'))}</button>
</form>`,
    });
  };

  app.get('/contact/:account', { config: { rateLimit: pageLimit }, schema: { hide: true, params: AccountParams, querystring: PageQuery(), response: HtmlAnswer } }, async (req: Req, reply) => {
    const a = await account(req);
    rememberLang(req, reply);
    return sendHtml(reply, await contactForm(a, loc(req)));
  });

  app.post('/contact/:account', {
    config: { rateLimit: postLimit },
    schema: {
      hide: true, params: AccountParams, querystring: PageQuery(), response: HtmlAnswer,
      body: FormBody(['name', 'email', 'topic', 'subject', 'message', 'lang', 'formToken', HONEYPOT]),
    },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const body: Form = req.body && typeof req.body === 'object' ? req.body : {};
    const locale = localeOf({ query: { lang: req.query.lang ?? body.lang }, cookies: req.cookies, headers: req.headers }, a.locale as Locale);
    if (!sameOrigin(req)) throw new PageError(403, 'err_cross_site', `/contact/${a.slug}`);
    const tokenProblem = await web.formGuardProblem(ctx, a.id, 'contact', body);
    if (tokenProblem === 'err_spam') throw new PageError(400, 'err_spam', `/contact/${a.slug}`);
    const topics = await web.topicsFor(ctx, a.id);
    const problems = web.contactProblems(body, topics, locale).map((p) => t(locale, p.key, p.vars));
    if (tokenProblem) problems.unshift(t(locale, tokenProblem));
    if (problems.length) return sendHtml(reply, await contactForm(a, locale, body, problems), 400);
    const conv = await web.submitContact(ctx, a, body, locale);
    return sendHtml(
      reply,
      page({
        locale,
        title: t(locale, 'thanks_title'),
        accountName: a.name,
        path: `/contact/${a.slug}`,
        body: `<div class="ok" role="status"><p>${esc(t(locale, 'thanks_body', { number: conv.number, email: body.email.trim() }))}</p></div>
<p>${esc(t(locale, 'thanks_portal'))} <a href="/portal/${esc(a.slug)}">${esc(t(locale, 'portal_title'))}</a></p>`,
      }),
    );
  });

  // ---------------------------------------------------------------- portal

  const portalPath = (a: web.PublicAccount) => `/portal/${a.slug}`;
  const cookieOpts = (req: FastifyRequest, a: web.PublicAccount) => ({
    path: portalPath(a),
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: cookieSecure(app, req),
  });

  /** The signed-in customer and the session token, or null. */
  const signedIn = async (req: Req, a: web.PublicAccount) => {
    const sid = req.cookies[PORTAL_COOKIE];
    const customerId = await portal.sessionCustomer(ctx, a, sid);
    return customerId && sid ? { customerId, sid } : null;
  };

  /** A signed-in POST: same origin and the session's form token, or refused. */
  const signedInPost = async (req: Req, a: web.PublicAccount) => {
    if (!sameOrigin(req)) throw new PageError(403, 'err_cross_site', portalPath(a));
    const s = await signedIn(req, a);
    if (!s) throw new PageError(401, 'err_sign_in', portalPath(a));
    if (!portal.csrfOk(s.sid, req.body?.csrf)) throw new PageError(403, 'err_token_bad', portalPath(a));
    return s;
  };

  const signOutForm = (a: web.PublicAccount, locale: Locale, sid: string) =>
    `<form method="post" action="${portalPath(a)}/signout"><input type="hidden" name="csrf" value="${esc(portal.csrfToken(sid))}"><button class="link" type="submit">${esc(t(locale, 'sign_out'))}</button></form>`;

  const statusText = (locale: Locale, s: string) => t(locale, `status_${s}` as TextKey);
  const when = (locale: Locale, d: Date | string) =>
    `${new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(d))} UTC`;

  const signInPage = async (a: web.PublicAccount, locale: Locale, problems: string[] = [], note = '') =>
    page({
      locale,
      title: t(locale, 'portal_title'),
      accountName: a.name,
      path: portalPath(a),
      body: `${note}${errorBox(problems)}<p>${esc(t(locale, 'portal_intro'))}</p>
<form method="post" action="${portalPath(a)}/link?lang=${locale}" class="box">
<input type="hidden" name="formToken" value="${esc(await web.formToken(ctx, a.id, 'portal-link'))}">
<label for="f-email">${esc(t(locale, 'email'))}</label>
<input id="f-email" name="email" type="email" required autocomplete="email" maxlength="320">
<div class="hp" aria-hidden="true"><label for="f-${HONEYPOT}">${esc(t(locale, 'honeypot'))}</label><input id="f-${HONEYPOT}" name="${HONEYPOT}" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">${esc(t(locale, 'send_link'))}</button>
</form>
<p><a href="/contact/${esc(a.slug)}">${esc(t(locale, 'new_request'))}</a></p>${portalHelpLinks(a.slug, locale)}`,
    });

  app.get('/portal/:account', { config: { rateLimit: pageLimit }, schema: { hide: true, params: AccountParams, querystring: PageQuery(), response: HtmlAnswer } }, async (req: Req, reply) => {
    const a = await account(req);
    rememberLang(req, reply);
    const locale = loc(req);
    const s = await signedIn(req, a);
    if (!s) return sendHtml(reply, await signInPage(a, locale));
    const list = await portal.listOwn(ctx, a.id, s.customerId);
    const items = list.length
      ? `<ul class="list">${list
          .map(
            (c) => `<li><a href="${portalPath(a)}/conversations/${c.id}">#${c.number} ${esc(c.subject)}</a><br>
<span class="muted">${esc(t(locale, 'status'))}: ${esc(statusText(locale, c.status))} · ${esc(t(locale, 'updated'))}: ${esc(when(locale, c.lastMessageAt))}</span></li>`,
          )
          .join('')}</ul>`
      : `<p>${esc(t(locale, 'no_requests'))}</p>`;
    return sendHtml(
      reply,
      page({
        locale,
        title: t(locale, 'your_requests'),
        accountName: a.name,
        path: portalPath(a),
        headerExtra: signOutForm(a, locale, s.sid),
        body: `${items}<p><a href="/contact/${esc(a.slug)}">${esc(t(locale, 'new_request'))}</a></p>${portalHelpLinks(a.slug, locale)}`,
      }),
    );
  });

  app.post('/portal/:account/link', {
    config: { rateLimit: postLimit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery(), body: FormBody(['email', 'formToken', HONEYPOT]), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const body: Form = req.body && typeof req.body === 'object' ? req.body : {};
    const locale = loc(req);
    if (!sameOrigin(req)) throw new PageError(403, 'err_cross_site', portalPath(a));
    const tokenProblem = await web.formGuardProblem(ctx, a.id, 'portal-link', body, 0);
    if (tokenProblem === 'err_spam') throw new PageError(400, 'err_spam', portalPath(a));
    if (tokenProblem) return sendHtml(reply, await signInPage(a, locale, [t(locale, tokenProblem)]), 400);
    const email = (body.email ?? '').trim();
    if (!portal.validEmail(email)) return sendHtml(reply, await signInPage(a, locale, [t(locale, 'err_email')]), 400);
    await portal.requestLink(ctx, a, email, locale);
    // The same answer whether or not the address is known.
    return sendHtml(
      reply,
      page({
        locale,
        title: t(locale, 'link_sent_title'),
        accountName: a.name,
        path: portalPath(a),
        body: `<div class="ok" role="status"><p>${esc(t(locale, 'link_sent_body', { email }))}</p></div>`,
      }),
    );
  });

  // Opening the emailed link only shows a button: mail scanners that prefetch links do not use them up.
  // logLevel warn: the request log lines (info) carry the URL, and this URL carries the sign-in token.
  app.get('/portal/:account/signin', {
    logLevel: 'warn',
    config: { rateLimit: pageLimit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery({ token: Type.Optional(Type.String()) }), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await account(req);
    rememberLang(req, reply);
    const locale = loc(req);
    const token = req.query.token ?? '';
    return sendHtml(
      reply,
      page({
        // The URL carries the sign-in token: never sent on as a referrer, not even to this site.
        referrer: 'no-referrer',
        locale,
        title: t(locale, 'signin_title'),
        accountName: a.name,
        path: `${portalPath(a)}/signin`,
        body: `<p>${esc(t(locale, 'signin_confirm'))}</p>
<form method="post" action="${portalPath(a)}/signin?lang=${locale}" class="box">
<input type="hidden" name="token" value="${esc(token)}">
<button type="submit">${esc(t(locale, 'signin_button'))}</button>
</form>`,
      }),
    );
  });

  app.post('/portal/:account/signin', {
    config: { rateLimit: postLimit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery(), body: FormBody(['token']), response: { 200: HtmlPage, 303: SeeOther } },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const locale = loc(req);
    if (!sameOrigin(req)) throw new PageError(403, 'err_cross_site', portalPath(a));
    const s = await portal.consumeLink(ctx, a, req.body?.token ?? '');
    if (!s) return sendHtml(reply, await signInPage(a, locale, [t(locale, 'err_link')]), 400);
    reply.setCookie(PORTAL_COOKIE, s.sessionToken, { ...cookieOpts(req, a), expires: s.expiresAt });
    return reply.redirect(`${portalPath(a)}?lang=${locale}`, 303);
  });

  app.post('/portal/:account/signout', {
    config: { rateLimit: pageLimit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery(), body: FormBody(['csrf']), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const locale = loc(req);
    const s = await signedInPost(req, a);
    await portal.endSession(ctx, s.sid);
    reply.clearCookie(PORTAL_COOKIE, cookieOpts(req, a));
    return sendHtml(reply, await signInPage(a, locale, [], `<div class="ok" role="status"><p>${esc(t(locale, 'signed_out'))}</p></div>`));
  });

  const conversationPage = async (req: Req, reply: FastifyReply, a: web.PublicAccount, s: { customerId: string; sid: string }, status = 200, notes: { ok?: string; problems?: string[] } = {}) => {
    const locale = loc(req);
    const c = await portal.getOwn(ctx, a.id, s.customerId, req.params.id!);
    const csrf = `<input type="hidden" name="csrf" value="${esc(portal.csrfToken(s.sid))}">`;
    const base = `${portalPath(a)}/conversations/${c.id}`;
    const msgs = c.messages
      .map((m) => {
        const who = m.authorType === 'customer' ? t(locale, 'you') : t(locale, 'support');
        const files = m.attachments.length
          ? `<p class="muted">${esc(t(locale, 'attachments'))}: ${m.attachments
              .map((f) => `<a href="${portalPath(a)}/attachments/${f.id}">${esc(f.filename)}</a> (${Math.ceil(f.size / 1024)} KB)`)
              .join(', ')}</p>`
          : '';
        return `<article class="msg ${m.authorType === 'customer' ? 'customer' : 'agent'}"><p class="meta">${esc(who)} · ${esc(when(locale, m.createdAt))}</p><div class="text">${esc(m.text)}</div>${files}</article>`;
      })
      .join('\n');
    const replyForm =
      c.status === 'closed'
        ? `<div class="error"><p>${esc(t(locale, 'err_closed'))}</p><p><a href="/contact/${esc(a.slug)}">${esc(t(locale, 'new_request'))}</a></p></div>`
        : `<form method="post" action="${base}/reply?lang=${locale}" class="box">${csrf}
<label for="f-reply">${esc(t(locale, 'reply'))}</label>
<textarea id="f-reply" name="text" required maxlength="20000"></textarea>
<button type="submit">${esc(t(locale, 'send_reply'))}</button></form>`;
    const rating = portal.RATABLE.includes(c.status)
      ? `<h2>${esc(t(locale, 'rate_title'))}</h2>${c.rating ? `<p>${esc(t(locale, 'rate_current', { score: c.rating.score }))}</p>` : ''}
<form method="post" action="${base}/rating?lang=${locale}" class="box">${csrf}
<fieldset class="scores"><legend>${esc(t(locale, 'rate_score'))}</legend>${[1, 2, 3, 4, 5]
          .map((n) => `<label><input type="radio" name="score" value="${n}"${c.rating?.score === n ? ' checked' : ''} required> ${n}</label>`)
          .join('')}</fieldset>
<label for="f-comment">${esc(t(locale, 'rate_comment'))}</label>
<textarea id="f-comment" name="comment" maxlength="5000">${esc(c.rating?.comment ?? '')}</textarea>
<button type="submit">${esc(t(locale, 'rate_send'))}</button></form>`
      : '';
    return sendHtml(
      reply,
      page({
        locale,
        title: `#${c.number} ${c.subject}`,
        accountName: a.name,
        path: base,
        headerExtra: signOutForm(a, locale, s.sid),
        body: `<p><a href="${portalPath(a)}">${esc(t(locale, 'your_requests'))}</a> · ${esc(t(locale, 'status'))}: ${esc(statusText(locale, c.status))}</p>
${notes.ok ? `<div class="ok" role="status"><p>${esc(notes.ok)}</p></div>` : ''}${errorBox(notes.problems ?? [])}
${msgs}
${replyForm}
${rating}`,
      }),
      status,
    );
  };

  const requireSignedIn = async (req: Req, a: web.PublicAccount) => {
    const s = await signedIn(req, a);
    if (!s) throw new PageError(401, 'err_sign_in', portalPath(a));
    return s;
  };

  app.get('/portal/:account/conversations/:id', { config: { rateLimit: pageLimit }, schema: { hide: true, params: AccountIdParams, querystring: PageQuery(), response: HtmlAnswer } }, async (req: Req, reply) => {
    const a = await account(req);
    rememberLang(req, reply);
    return conversationPage(req, reply, a, await requireSignedIn(req, a));
  });

  app.post('/portal/:account/conversations/:id/reply', {
    config: { rateLimit: pageLimit },
    schema: { hide: true, params: AccountIdParams, querystring: PageQuery(), body: FormBody(['csrf', 'text']), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const locale = loc(req);
    const s = await signedInPost(req, a);
    const text = (req.body?.text ?? '').trim();
    if (!text) return conversationPage(req, reply, a, s, 400, { problems: [t(locale, 'err_empty_reply')] });
    if (text.length > 20_000) return conversationPage(req, reply, a, s, 400, { problems: [t(locale, 'err_too_long', { field: t(locale, 'reply') })] });
    try {
      await portal.replyOwn(ctx, a.id, s.customerId, req.params.id!, text);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conversation_closed') return conversationPage(req, reply, a, s, 409);
      throw err;
    }
    return conversationPage(req, reply, a, s, 200, { ok: t(locale, 'reply_sent') });
  });

  app.post('/portal/:account/conversations/:id/rating', {
    config: { rateLimit: pageLimit },
    schema: { hide: true, params: AccountIdParams, querystring: PageQuery(), body: FormBody(['csrf', 'score', 'comment']), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const locale = loc(req);
    const s = await signedInPost(req, a);
    const score = Number(req.body?.score);
    const comment = (req.body?.comment ?? '').trim().slice(0, 5000) || null;
    if (!Number.isInteger(score) || score < 1 || score > 5) return conversationPage(req, reply, a, s, 400, { problems: [t(locale, 'err_rate_score')] });
    try {
      await portal.rateOwn(ctx, a.id, s.customerId, req.params.id!, score, comment);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_solved') return conversationPage(req, reply, a, s, 409, { problems: [t(locale, 'err_rate_unsolved')] });
      throw err;
    }
    return conversationPage(req, reply, a, s, 200, { ok: t(locale, 'rate_saved') });
  });

  app.get('/portal/:account/attachments/:id', {
    config: { rateLimit: pageLimit },
    schema: {
      hide: true, params: AccountIdParams,
      response: { 200: { content: { 'application/octet-stream': { schema: Type.String({ format: 'binary', description: 'the file, as a download (its own content type unless it could render in the page)' }) } } } },
    },
  }, async (req: Req, reply) => {
    const a = await account(req);
    const s = await requireSignedIn(req, a);
    const f = await portal.attachmentOwn(ctx, a.id, s.customerId, req.params.id!);
    // Always a download, never rendered in our origin.
    reply.header('content-type', /^(text\/html|image\/svg|application\/xhtml)/i.test(f.content_type) ? 'application/octet-stream' : f.content_type);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    reply.header('cache-control', 'private, no-store');
    return reply.send(Buffer.from(f.content));
  });
}
