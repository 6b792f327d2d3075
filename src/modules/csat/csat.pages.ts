/**
 * The public survey page /survey/:token (server-rendered, no script, en/de/nb). GET only shows the form — with the
 * score from the emailed link preselected — and never records: mail scanners prefetch links. POST records the answer
 * (changeable until the link expires).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Locale } from '../../platform/i18n.js';
import { AppError } from '../../platform/errors.js';
import { acceptForms, esc, errorBox, page, publicLimits, sendHtml, localeOf } from '../channels/portal/index.js';
import { ct, dateText, scoreLabels, type CsatTextKey } from './texts.js';
import * as svc from './csat.service.js';
import * as S from './csat.schemas.js';
import { serveEmbedScript } from '../channels/chat/index.js';

type Req = FastifyRequest<{ Params: { token: string }; Querystring: Record<string, string | undefined>; Body: Record<string, string> }>;

// `satisfies`, not a type annotation: the plugin keeps its one-parameter signature, which the module contract expects.
const pages = (async (app) => {
  const ctx = app.ctx;
  const pub = ctx.config.publicRateLimit;
  const { pageLimit, postLimit } = publicLimits(pub);

  acceptForms(app);

  // Loaded by widget.js on the customer's pages when a survey prompt arrives (widget-survey.js beside this module).
  serveEmbedScript(app, '/csat-widget.js', new URL('./widget-survey.js', import.meta.url));

  // The page's URL is the answer's token: not passed on as a referrer, not indexed.
  const html = (reply: FastifyReply, body: string, status = 200) =>
    sendHtml(reply.header('x-robots-tag', 'noindex'), body, status);

  const pathOf = (req: FastifyRequest) => req.url.split('?')[0];

  app.setErrorHandler((err: any, req, reply) => {
    const locale = localeOf(req, 'en');
    let status = 500;
    let key: CsatTextKey = 'err_generic';
    if (err instanceof svc.SurveyError) {
      status = err.status;
      key = err.reason === 'expired' ? 'err_expired' : 'err_bad';
    } else if (err?.statusCode === 429 || err?.status === 429) {
      status = 429;
      key = 'err_rate';
    } else if (err?.statusCode >= 400 && err?.statusCode < 500) {
      status = err.statusCode;
      key = 'err_bad';
    } else req.log.error({ err: { message: err?.message, stack: err?.stack } }, 'survey page failed');
    return html(reply, page({ referrer: 'no-referrer', locale, title: ct(locale, 'err_title'), accountName: 'Earshot', path: pathOf(req), body: errorBox([ct(locale, key)]) }), status);
  });

  const form = (req: FastifyRequest, v: svc.SurveyView, locale: Locale, opts: { score?: number; comment?: string; ok?: boolean; problems?: string[] }) => {
    const path = pathOf(req);
    const labels = scoreLabels(locale);
    const chosen = opts.score ?? v.answer?.score;
    const comment = opts.comment ?? v.answer?.comment ?? '';
    const note = opts.ok
      ? `<div class="ok" role="status"><p>${esc(ct(locale, 'page_saved'))}</p></div>`
      : v.answer
        ? `<p>${esc(ct(locale, 'page_current', { score: v.answer.score, date: dateText(locale, v.expiresAt) }))}</p>`
        : `<p class="muted">${esc(ct(locale, 'page_not_yet'))}</p>`;
    return page({
      referrer: 'no-referrer',
      locale,
      title: ct(locale, 'page_title'),
      accountName: v.accountName,
      path,
      body: `${note}${errorBox(opts.problems ?? [])}<p>${esc(ct(locale, 'page_about', { number: v.number, subject: v.subject || '…' }))}</p>
<form method="post" action="${esc(path)}?lang=${locale}" class="box">
<fieldset class="scores"><legend><strong>${esc(v.question)}</strong><br><span class="muted">${esc(ct(locale, 'page_score'))}</span></legend>
${labels.map((lab, i) => `<label><input type="radio" name="score" value="${i + 1}"${chosen === i + 1 ? ' checked' : ''} required> ${i + 1} – ${esc(lab)}</label>`).join('\n')}
</fieldset>
<label for="f-comment">${esc(ct(locale, 'page_comment'))}</label>
<textarea id="f-comment" name="comment" maxlength="${svc.MAX_COMMENT}">${esc(comment)}</textarea>
<input type="hidden" name="lang" value="${locale}">
<button type="submit">${esc(ct(locale, 'page_send'))}</button>
</form>`,
    });
  };

  const localeFor = (req: Req, v: svc.SurveyView, body?: Record<string, string>) =>
    localeOf({ query: { lang: req.query.lang ?? body?.lang }, cookies: {}, headers: {} }, v.language);

  // Errors (expired, forged, too many) answer the page with the problem on it: the error handler above.
  const schema = { hide: true, params: S.PageParams, querystring: S.PageQuery, response: { 200: S.Page } };

  app.get('/survey/:token', { logLevel: 'warn', config: { rateLimit: pageLimit }, schema }, async (req: Req, reply) => {
    const v = await svc.surveyPage(ctx, req.params.token);
    const n = Number(req.query.score);
    return html(reply, form(req, v, localeFor(req, v), { score: Number.isInteger(n) && n >= 1 && n <= 5 ? n : undefined }));
  });

  app.post('/survey/:token', {
    logLevel: 'warn', config: { rateLimit: postLimit }, schema: { ...schema, body: S.PageForm },
  }, async (req: Req, reply) => {
    const body = req.body && typeof req.body === 'object' ? req.body : {};
    const v0 = await svc.surveyPage(ctx, req.params.token);
    const locale = localeFor(req, v0, body);
    const score = Number(body.score);
    const comment = (body.comment ?? '').trim();
    if (!Number.isInteger(score) || score < 1 || score > 5)
      return html(reply, form(req, v0, locale, { comment, problems: [ct(locale, 'page_pick')] }), 400);
    if (comment.length > svc.MAX_COMMENT) return html(reply, form(req, v0, locale, { score, comment, problems: [ct(locale, 'page_too_long')] }), 400);
    try {
      const v = await svc.answerSurvey(ctx, req.params.token, score, comment || null);
      return html(reply, form(req, v, locale, { ok: true }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return html(reply, form(req, v0, locale, { score, comment, problems: [ct(locale, 'page_pick')] }), 400);
      throw err;
    }
  });
}) satisfies FastifyPluginAsyncTypebox;
export default pages;
