/** The customer's appeal page, /appeal/<token>: what was decided, until when, why, and a form to appeal (en/de/nb). */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Locale } from '../../platform/i18n.js';
import { AppError } from '../../platform/errors.js';
import { acceptForms, esc, errorBox, page, publicLimits, sendHtml } from '../channels/portal/index.js';
import * as svc from './respect.service.js';
import { asLocale, rt } from './texts.js';

type Req = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string }; Body: Record<string, string> }>;

/** The page in the customer's language; 400, 404 and 409 answer the same page with the problem on it. */
const Page = { content: { 'text/html': { schema: Type.String({ description: 'the appeal page' }) } } };
const schema = {
  hide: true,
  params: Type.Object({ token: Type.String({ description: 'the token from the customer’s email' }) }),
  querystring: Type.Object({ lang: Type.Optional(Type.String({ description: 'en, de or nb; default the customer’s language' })) }),
  response: { 200: Page },
};

// `satisfies`, not a type annotation: the plugin keeps its one-parameter signature, which the module contract expects.
const respectPages = (async (app) => {
  const ctx = app.ctx;
  const { pageLimit, postLimit } = publicLimits(ctx.config.publicRateLimit);
  acceptForms(app);

  async function render(req: Req, extra: { error?: string; done?: boolean } = {}) {
    const m = await svc.measureByToken(ctx, req.params.token);
    const q = req.query?.lang;
    const locale: Locale = q ? asLocale(q) : m ? m.customerLocale : 'en';
    const path = `/appeal/${req.params.token}`;
    if (!m) return { status: 404, html: page({ referrer: 'no-referrer', locale, title: rt(locale, 'appeal_title'), accountName: 'Earshot', path, body: errorBox([rt(locale, 'appeal_unknown')]) }) };
    let body = `<div class="box"><p>${esc(rt(locale, 'appeal_intro', { kind: m.kindText(locale), reason: m.reasonText(locale), until: m.untilText(locale) }))}</p></div>`;
    if (extra.done) body += `<div class="ok" role="status"><p>${esc(rt(locale, 'appeal_thanks'))}</p></div>`;
    else if (m.status !== 'active' && m.appeal_status !== 'upheld' && m.appeal_status !== 'overturned') body += `<p>${esc(rt(locale, 'appeal_closed'))}</p>`;
    else if (m.appeal_status === 'open') body += `<div class="ok" role="status"><p>${esc(rt(locale, 'appeal_open'))}</p></div>`;
    else if (m.appeal_status === 'upheld' || m.appeal_status === 'overturned')
      body += `<div class="box" role="status"><p>${esc(rt(locale, 'appeal_decided', { outcome: rt(locale, `appeal_outcome_${m.appeal_status}`) }))}</p></div>`;
    else
      body += `${extra.error ? errorBox([extra.error]) : ''}<p>${esc(rt(locale, 'appeal_explain'))}</p>
<form method="post" action="${esc(path)}?lang=${locale}">
<label for="text">${esc(rt(locale, 'appeal_label'))}</label>
<textarea id="text" name="text" required maxlength="10000"></textarea>
<button type="submit">${esc(rt(locale, 'appeal_send'))}</button>
</form>`;
    return { status: extra.error ? 400 : 200, html: page({ referrer: 'no-referrer', locale, title: rt(locale, 'appeal_title'), accountName: m.account, path, body }) };
  }

  app.get('/appeal/:token', { config: { rateLimit: pageLimit }, schema }, async (req: Req, reply) => {
    const r = await render(req);
    return sendHtml(reply, r.html, r.status);
  });

  app.post('/appeal/:token', {
    config: { rateLimit: postLimit },
    // An empty or missing text answers the page with the problem on it, so the form field is optional here.
    schema: { ...schema, body: Type.Optional(Type.Object({ text: Type.Optional(Type.String()) })) },
  }, async (req: Req, reply) => {
    const m = await svc.measureByToken(ctx, req.params.token);
    const locale: Locale = req.query?.lang ? asLocale(req.query.lang) : m?.customerLocale ?? 'en';
    const text = String(req.body?.text ?? '').trim();
    if (m && !text) {
      const r = await render(req, { error: rt(locale, 'appeal_empty') });
      return sendHtml(reply, r.html, 400);
    }
    try {
      if (m) await svc.customerAppeal(ctx, req.params.token, text);
    } catch (err) {
      // Already appealed or no longer in force: the page says so.
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      const r = await render(req);
      return sendHtml(reply, r.html, 409);
    }
    const r = await render(req, { done: !!m });
    return sendHtml(reply, r.html, m ? 200 : 404);
  });
}) satisfies FastifyPluginAsyncTypebox;
export default respectPages;
