/** Public help pages: /help/:account (search and list) and /help/:account/:slug (one article), no script. */
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/types.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { esc, page, publicLimits, sendHtml } from '../channels/portal/index.js';
import { localeOf } from '../channels/portal/index.js';
import * as web from '../channels/portal/index.js';
import * as svc from './knowledge.service.js';
import { kt } from './texts.js';
import { Type } from 'typebox';
import { AccountParams, HtmlAnswer, PageQuery } from '../channels/portal/index.js';

type Req = FastifyRequest<{ Params: { account: string; slug?: string }; Querystring: Record<string, string | undefined> }>;

/** A snippet with ⟦matches⟧ as escaped HTML with <mark>. */
export const markSnippet = (s: string) => esc(s).replace(/⟦/g, '<mark>').replace(/⟧/g, '</mark>');

const EXTRA_CSS = `<style>.article{background:#fff;border:1px solid #d8dce1;border-radius:8px;padding:1rem}mark{background:#fff3b0}.search{display:flex;gap:.5rem;align-items:flex-end}.search div{flex:1}.search button{margin-top:0}</style>`;

export default async function knowledgePages(app: App) {
  const ctx = app.ctx;
  const { pageLimit: limit } = publicLimits(ctx.config.publicRateLimit);

  app.setErrorHandler((err: any, req: FastifyRequest, reply) => {
    const locale = localeOf(req);
    const status = err?.statusCode === 429 ? 429 : err instanceof AppError && err.status === 404 ? 404 : 500;
    if (status === 500) req.log.error({ err: { message: err?.message, stack: err?.stack } }, 'help page failed');
    const msg = status === 404 ? kt(locale, 'not_found') : status === 429 ? kt(locale, 'err_rate') : kt(locale, 'err_generic');
    return sendHtml(reply, page({ locale, title: kt(locale, 'error_title'), accountName: 'Earshot', path: req.url.split('?')[0], body: `<div class="error" role="alert"><p>${esc(msg)}</p></div>` }), status);
  });

  const searchForm = (a: web.PublicAccount, locale: Locale, q = '') =>
    `<form method="get" action="/help/${esc(a.slug)}" class="box search" role="search"><div><label for="kb-q">${esc(kt(locale, 'search_label'))}</label>
<input id="kb-q" name="q" type="text" maxlength="500" value="${esc(q)}"><input type="hidden" name="lang" value="${locale}"></div>
<button type="submit">${esc(kt(locale, 'search_button'))}</button></form>`;
  const footer = (a: web.PublicAccount, locale: Locale) =>
    `<p><a href="/contact/${esc(a.slug)}?lang=${locale}">${esc(kt(locale, 'contact'))}</a> · <a href="/community/${esc(a.slug)}?lang=${locale}">${esc(kt(locale, 'community'))}</a></p>`;

  app.get('/help/:account', {
    config: { rateLimit: limit },
    schema: { hide: true, params: AccountParams, querystring: PageQuery({ q: Type.Optional(Type.String({ description: 'search' })) }), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const q = (req.query.q ?? '').slice(0, 500).trim();
    let body: string;
    if (q) {
      const hits = await svc.publicSearch(ctx, a.id, q, locale, 20);
      body = `<h2>${esc(kt(locale, 'results_for', { q }))}</h2>${
        hits.length
          ? `<ul class="list">${hits.map((h) => `<li><a href="/help/${esc(a.slug)}/${esc(h.slug)}?lang=${h.lang}" lang="${h.lang}">${esc(h.title)}</a><br><span class="muted" lang="${h.lang}">${markSnippet(h.snippet)}</span></li>`).join('')}</ul>`
          : `<p>${esc(kt(locale, 'no_results'))}</p>`
      }`;
    } else {
      const list = await svc.publicList(ctx, a.id, locale);
      body = `<h2>${esc(kt(locale, 'all_articles'))}</h2>${
        list.length
          ? `<ul class="list">${list.map((h) => `<li><a href="/help/${esc(a.slug)}/${esc(h.slug)}?lang=${h.lang}" lang="${h.lang}">${esc(h.title)}</a></li>`).join('')}</ul>`
          : `<p>${esc(kt(locale, 'no_articles'))}</p>`
      }`;
    }
    return sendHtml(reply, page({ locale, title: kt(locale, 'help_title'), accountName: a.name, path: `/help/${a.slug}`, body: `${EXTRA_CSS}${searchForm(a, locale, q)}${body}${footer(a, locale)}` }));
  });

  app.get('/help/:account/:slug', {
    config: { rateLimit: limit },
    schema: { hide: true, params: Type.Object({ account: Type.String(), slug: Type.String() }), querystring: PageQuery(), response: HtmlAnswer },
  }, async (req: Req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const locale = localeOf(req, a.locale);
    const art = await svc.publicArticle(ctx, a.id, req.params.slug!, locale, a.locale);
    const when = new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(art.updatedAt));
    const body = `${EXTRA_CSS}<p><a href="/help/${esc(a.slug)}?lang=${locale}">${esc(kt(locale, 'back_help'))}</a></p>
${art.lang !== locale ? `<p class="muted">${esc(kt(locale, 'other_lang'))}</p>` : ''}
<article class="article" lang="${art.lang}">${art.html}</article>
<p class="muted">${esc(kt(locale, 'updated'))}: ${esc(when)}</p>
${searchForm(a, locale)}${footer(a, locale)}`;
    return sendHtml(reply, page({ locale, title: art.title, accountName: a.name, path: `/help/${a.slug}/${art.slug}`, body }));
  });
}

/** Links from the customer portal to the help articles and the community (used by channels/portal/portal.pages.ts). */
export const portalHelpLinks = (slug: string, locale: Locale) =>
  `<p><a href="/help/${esc(slug)}?lang=${locale}">${esc(kt(locale, 'help_title'))}</a> · <a href="/portal/${esc(slug)}/community?lang=${locale}">${esc(kt(locale, 'community'))}</a></p>`;
