/** Knowledge-base routes under /api/v1: agents' CRUD and search; public read-only search and articles. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams, Locale } from '../../server/schemas.js';
import * as web from '../channels/portal/index.js';
import * as svc from './knowledge.service.js';
import { Article, ArticleList, PublicArticle, PublicSearch } from './knowledge.schemas.js';

const Translation = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ maxLength: 100_000, description: 'markdown (headings, lists, bold, italic, code, links) or plain text' }),
}, { additionalProperties: false });
const ArticleBody = {
  slug: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$', description: 'default: from the first title' })),
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('internal')], { description: 'internal: agents only' })),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
};
const Status = Type.Union([Type.Literal('draft'), Type.Literal('published')]);

const knowledgeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const pub = ctx.config.publicRateLimit;

  app.get('/kb/articles', {
    schema: {
      tags: ['knowledge'],
      summary: 'Articles (drafts and internal included); with q, a ranked full-text search in the language of each translation, `lang` first',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 500 })),
        lang: Type.Optional(Locale),
        status: Type.Optional(Status),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
      }),
      response: { 200: ArticleList },
    },
  }, async (req) => ({ items: await svc.listArticles(ctx, who(req), req.query) }));

  app.post('/kb/articles', {
    schema: {
      tags: ['knowledge'],
      summary: 'Write a draft article with translations in en, de and/or nb (agents and up)',
      body: Type.Object({ ...ArticleBody, translations: Type.Record(Type.String(), Translation) }, { additionalProperties: false }),
      response: { 201: Article },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createArticle(ctx, who(req), req.body as svc.ArticleInput)));

  app.get('/kb/articles/:id', {
    schema: { tags: ['knowledge'], summary: 'One article with all its translations (markdown and rendered HTML)', params: IdParams, response: { 200: Article } },
  }, async (req) => svc.getArticle(ctx, who(req), req.params.id));

  app.put('/kb/articles/:id', {
    schema: {
      tags: ['knowledge'],
      summary: 'Edit an article; a translation set to null is removed. Agents edit drafts; published articles need manage',
      params: IdParams,
      body: Type.Object({ ...ArticleBody, translations: Type.Optional(Type.Record(Type.String(), Type.Union([Translation, Type.Null()]))) }, { additionalProperties: false }),
      response: { 200: Article },
    },
  }, async (req) => svc.updateArticle(ctx, who(req), req.params.id, req.body as svc.ArticleInput));

  app.post('/kb/articles/:id/publish', {
    schema: { tags: ['knowledge'], summary: 'Publish an article (supervisor, admin)', params: IdParams, response: { 200: Article } },
  }, async (req) => svc.setPublished(ctx, who(req), req.params.id, true));

  app.post('/kb/articles/:id/unpublish', {
    schema: { tags: ['knowledge'], summary: 'Take an article back to draft (supervisor, admin)', params: IdParams, response: { 200: Article } },
  }, async (req) => svc.setPublished(ctx, who(req), req.params.id, false));

  app.delete('/kb/articles/:id', {
    schema: { tags: ['knowledge'], summary: 'Delete an article (supervisor, admin)', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await svc.deleteArticle(ctx, who(req), req.params.id);
    return reply.code(204).send(null);
  });

  // ------------------------------------------------------------------ public (no sign-in)
  const AccountParams = Type.Object({ account: Type.String({ maxLength: 63 }) });

  app.get('/public/kb/:account/search', {
    config: { auth: false, rateLimit: { max: pub, timeWindow: '1 minute' } },
    schema: {
      tags: ['knowledge'],
      summary: 'Search published public articles (no sign-in; rate-limited). Snippets mark matches with ⟦ ⟧',
      params: AccountParams,
      querystring: Type.Object({ q: Type.String({ maxLength: 500 }), lang: Type.Optional(Locale), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }),
      response: { 200: PublicSearch },
    },
  }, async (req, reply) => {
    // Read-only public data: any site embedding the widget may read it (a simple GET, no preflight).
    reply.header('access-control-allow-origin', '*');
    const a = await web.publicAccount(ctx, req.params.account);
    const lang = req.query.lang ?? a.locale;
    const hits = await svc.publicSearch(ctx, a.id, req.query.q, lang, req.query.limit ?? 10);
    return {
      items: hits.map((h) => ({ slug: h.slug, lang: h.lang, title: h.title, snippet: h.snippet, url: `/help/${a.slug}/${h.slug}?lang=${h.lang}` })),
    };
  });

  app.get('/public/kb/:account/articles/:slug', {
    config: { auth: false, rateLimit: { max: pub, timeWindow: '1 minute' } },
    schema: {
      tags: ['knowledge'],
      summary: 'A published public article in the asked language (or the account’s, or English) (no sign-in; rate-limited)',
      params: Type.Object({ account: Type.String({ maxLength: 63 }), slug: Type.String({ maxLength: 100 }) }),
      querystring: Type.Object({ lang: Type.Optional(Locale) }),
      response: { 200: PublicArticle },
    },
  }, async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    const a = await web.publicAccount(ctx, req.params.account);
    const art = await svc.publicArticle(ctx, a.id, req.params.slug, req.query.lang ?? a.locale, a.locale);
    return { ...art, url: `/help/${a.slug}/${art.slug}?lang=${art.lang}` };
  });
};
export default knowledgeRoutes;
