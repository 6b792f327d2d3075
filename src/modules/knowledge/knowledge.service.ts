/**
 * Knowledge base (issue 7): articles with one translation per language (en, de, nb), full-text search in the
 * stemming configuration of each translation's language, public read-only access to published public articles.
 * Agents write drafts; publishing and unpublishing (and editing what is published) needs 'manage'.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { AppError, conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { LOCALES } from '../../platform/i18n.js';
import { markdownToText, renderMarkdown, unsafeLinks } from './markdown.js';
import { recordChange } from '../changes/index.js';

export type Lang = Locale;
export interface TranslationInput { title: string; body: string }
export interface ArticleInput {
  slug?: string;
  visibility?: 'public' | 'internal';
  tags?: string[];
  translations?: Partial<Record<Lang, TranslationInput | null>>;
}

export interface Translation { title: string; body: string; html: string; updatedAt: string }
export interface Article {
  id: string;
  slug: string;
  status: 'draft' | 'published';
  visibility: 'public' | 'internal';
  tags: string[];
  source: { type: string; id: string } | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  translations: Partial<Record<Lang, Translation>>;
}

export interface SearchHit {
  id: string;
  slug: string;
  status: string;
  visibility: string;
  lang: Lang;
  title: string;
  /** Plain text with the matched words between ⟦ and ⟧ (callers escape, then mark). */
  snippet: string;
  rank: number;
}

const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LOCALES as string[]).includes(v);

/** URL-friendly slug from a title, transliterating German and Norwegian letters. */
export function slugify(title: string): string {
  const map: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', æ: 'ae', ø: 'o', å: 'a' };
  const s = title
    .toLowerCase()
    .replace(/[äöüßæøå]/g, (c) => map[c])
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return s || 'article';
}

function checkTranslations(tr: ArticleInput['translations'], requireOne: boolean) {
  const entries = Object.entries(tr ?? {});
  for (const [lang, v] of entries) {
    if (!isLang(lang)) throw invalid(`translations.${lang}`, 'language must be en, de or nb');
    if (v === null) continue;
    if (!v.title?.trim()) throw invalid(`translations.${lang}.title`, 'a title is required');
    if (v.title.length > 200) throw invalid(`translations.${lang}.title`, 'at most 200 characters');
    if (v.body.length > 100_000) throw invalid(`translations.${lang}.body`, 'at most 100,000 characters');
    const bad = unsafeLinks(v.body);
    if (bad.length)
      throw invalid(`translations.${lang}.body`, `the link target ${JSON.stringify(bad[0].slice(0, 200))} is not allowed: use https://…, http://…, mailto:… or a path on this site starting with a single /`);
  }
  if (requireOne && !entries.some(([, v]) => v)) throw invalid('translations', 'an article needs at least one translation (en, de or nb)');
}

function checkTags(tags: string[] | undefined) {
  if (!tags) return;
  if (tags.length > 20) throw invalid('tags', 'at most 20 tags');
  for (const t of tags) if (!/^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u.test(t)) throw invalid('tags', `"${t}" is not a valid tag (letters, digits, space, - and _, up to 40)`);
}

async function uniqueSlug(tx: Tx, accountId: string, base: string): Promise<string> {
  for (let i = 1; i < 1000; i++) {
    const s = i === 1 ? base : `${base.slice(0, 90)}-${i}`;
    const r = await tx.query('SELECT 1 FROM kb_articles WHERE account_id = $1 AND slug = $2', [accountId, s]);
    if (!r.rows.length) return s;
  }
  throw conflict('slug_taken', `No free slug for "${base}"`);
}

async function writeTranslations(tx: Tx, accountId: string, articleId: string, tr: ArticleInput['translations'], now: Date) {
  for (const [lang, v] of Object.entries(tr ?? {})) {
    if (v === null) await tx.query('DELETE FROM kb_translations WHERE article_id = $1 AND lang = $2', [articleId, lang]);
    else if (v)
      await tx.query(
        `INSERT INTO kb_translations (article_id, account_id, lang, title, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (article_id, lang) DO UPDATE SET title = excluded.title, body = excluded.body, updated_at = excluded.updated_at`,
        [articleId, accountId, lang, v.title.trim(), v.body ?? '', now],
      );
  }
}

/**
 * Creates a draft inside the caller's transaction (used by the API and by community promotion).
 * `source` records where the text came from, e.g. a verified community answer.
 */
export async function createArticleTx(tx: Tx, p: Principal, input: ArticleInput, now: Date, source?: { type: string; id: string }): Promise<string> {
  requireCap(p, 'conversations');
  checkTranslations(input.translations, true);
  checkTags(input.tags);
  let slug: string;
  if (input.slug) {
    if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(input.slug)) throw invalid('slug', 'lower-case letters, digits and -, up to 100');
    const taken = await tx.query('SELECT 1 FROM kb_articles WHERE account_id = $1 AND slug = $2', [p.accountId, input.slug]);
    if (taken.rows.length) throw conflict('slug_taken', `The slug "${input.slug}" is already used by another article`);
    slug = input.slug;
  } else {
    const first = LOCALES.map((l) => input.translations?.[l]).find((v) => v)!;
    slug = await uniqueSlug(tx, p.accountId, slugify(first.title));
  }
  const r = await tx.query<{ id: string }>(
    `INSERT INTO kb_articles (account_id, slug, visibility, tags, source_type, source_id, created_by, updated_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8) RETURNING id`,
    [p.accountId, slug, input.visibility ?? 'public', input.tags ?? [], source?.type ?? null, source?.id ?? null, p.userId, now],
  );
  const id = r.rows[0].id;
  await writeTranslations(tx, p.accountId, id, input.translations, now);
  await recordChange(tx, p, now, {
    audit: { action: 'kb.article.created', target: { type: 'kb_article', id }, data: { slug, langs: Object.keys(input.translations ?? {}), source: source ?? null } },
  });
  return id;
}

export async function createArticle(ctx: Ctx, p: Principal, input: ArticleInput): Promise<Article> {
  const id = await ctx.db.transaction((tx) => createArticleTx(tx, p, input, ctx.now()));
  return getArticle(ctx, p, id);
}

async function lockArticle(tx: Tx, accountId: string, id: string) {
  if (!isUuid(id)) throw notFound('Article');
  const r = await tx.query<{ id: string; status: string; slug: string }>('SELECT id, status, slug FROM kb_articles WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, id]);
  if (!r.rows[0]) throw notFound('Article');
  return r.rows[0];
}

export async function updateArticle(ctx: Ctx, p: Principal, id: string, input: ArticleInput): Promise<Article> {
  requireCap(p, 'conversations');
  checkTranslations(input.translations, false);
  checkTags(input.tags);
  await ctx.db.transaction(async (tx) => {
    const a = await lockArticle(tx, p.accountId, id);
    if (a.status === 'published' && !can(p, 'manage'))
      throw forbidden(`The role '${p.role}' may edit drafts only; unpublish the article first or ask a supervisor (needs 'manage')`);
    if (input.slug && input.slug !== a.slug) {
      if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(input.slug)) throw invalid('slug', 'lower-case letters, digits and -, up to 100');
      const taken = await tx.query('SELECT 1 FROM kb_articles WHERE account_id = $1 AND slug = $2', [p.accountId, input.slug]);
      if (taken.rows.length) throw conflict('slug_taken', `The slug "${input.slug}" is already used by another article`);
    }
    const now = ctx.now();
    await tx.query(
      `UPDATE kb_articles SET slug = coalesce($3, slug), visibility = coalesce($4, visibility), tags = coalesce($5, tags), updated_by = $6, updated_at = $7
       WHERE id = $1 AND account_id = $2`,
      [id, p.accountId, input.slug ?? null, input.visibility ?? null, input.tags ?? null, p.userId, now],
    );
    await writeTranslations(tx, p.accountId, id, input.translations, now);
    const left = await tx.query('SELECT 1 FROM kb_translations WHERE article_id = $1', [id]);
    if (!left.rows.length) throw invalid('translations', 'an article needs at least one translation (en, de or nb)');
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'kb.article.updated', target: { type: 'kb_article', id }, data: {
        fields: Object.keys(input).filter((k) => k !== 'translations'),
        langs: Object.keys(input.translations ?? {}),
      } },
    });
  });
  return getArticle(ctx, p, id);
}

export async function setPublished(ctx: Ctx, p: Principal, id: string, publish: boolean): Promise<Article> {
  requireCap(p, 'manage');
  await ctx.db.transaction(async (tx) => {
    const a = await lockArticle(tx, p.accountId, id);
    const want = publish ? 'published' : 'draft';
    if (a.status === want) return;
    await tx.query(
      `UPDATE kb_articles SET status = $3, published_at = CASE WHEN $3 = 'published' THEN $4::timestamptz ELSE published_at END, updated_by = $5, updated_at = $4
       WHERE id = $1 AND account_id = $2`,
      [id, p.accountId, want, ctx.now(), p.userId],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: publish ? 'kb.article.published' : 'kb.article.unpublished', target: { type: 'kb_article', id }, data: { slug: a.slug } },
    });
  });
  return getArticle(ctx, p, id);
}

export async function deleteArticle(ctx: Ctx, p: Principal, id: string): Promise<void> {
  requireCap(p, 'manage');
  await ctx.db.transaction(async (tx) => {
    const a = await lockArticle(tx, p.accountId, id);
    await tx.query('DELETE FROM kb_articles WHERE id = $1', [id]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'kb.article.deleted', target: { type: 'kb_article', id }, data: { slug: a.slug, status: a.status } },
    });
  });
}

type Row = {
  id: string; slug: string; status: 'draft' | 'published'; visibility: 'public' | 'internal'; tags: string[];
  source_type: string | null; source_id: string | null; published_at: Date | null; created_at: Date; updated_at: Date;
  translations: { lang: Lang; title: string; body: string; updated_at: string }[] | null;
};
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
function shape(r: Row): Article {
  const translations: Article['translations'] = {};
  for (const t of r.translations ?? []) translations[t.lang] = { title: t.title, body: t.body, html: renderMarkdown(t.body), updatedAt: iso(t.updated_at)! };
  return {
    id: r.id, slug: r.slug, status: r.status, visibility: r.visibility, tags: r.tags,
    source: r.source_type && r.source_id ? { type: r.source_type, id: r.source_id } : null,
    publishedAt: iso(r.published_at), createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!, translations,
  };
}
const SELECT = `SELECT a.id, a.slug, a.status, a.visibility, a.tags, a.source_type, a.source_id, a.published_at, a.created_at, a.updated_at,
  (SELECT json_agg(json_build_object('lang', t.lang, 'title', t.title, 'body', t.body, 'updated_at', t.updated_at) ORDER BY t.lang)
     FROM kb_translations t WHERE t.article_id = a.id) AS translations
  FROM kb_articles a`;

export async function getArticle(ctx: Ctx, p: Principal, id: string): Promise<Article> {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Article');
  const r = await ctx.db.query<Row>(`${SELECT} WHERE a.account_id = $1 AND a.id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Article');
  return shape(r.rows[0]);
}

/**
 * Ranked full-text search. Each translation is matched with the query stemmed in that translation's own language
 * (english, german, norwegian); one hit per article, preferring the requested language; hits in the requested
 * language come first, then the others.
 */
export async function searchArticles(
  db: Tx,
  accountId: string,
  o: { q: string; lang: Lang; publicOnly: boolean; status?: 'draft' | 'published'; limit?: number },
): Promise<SearchHit[]> {
  const conds = ['t.account_id = $1'];
  if (o.publicOnly) conds.push(`a.status = 'published' AND a.visibility = 'public'`);
  else if (o.status) conds.push(`a.status = '${o.status === 'draft' ? 'draft' : 'published'}'`);
  const r = await db.query<{ id: string; slug: string; status: string; visibility: string; lang: Lang; title: string; snippet: string; rank: number }>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $2) AS en, websearch_to_tsquery('german', $2) AS de,
                       websearch_to_tsquery('norwegian', $2) AS nb),
     m AS (
       SELECT DISTINCT ON (a.id) a.id, a.slug, a.status, a.visibility, t.lang, t.title, t.body,
              ts_rank(t.tsv, CASE t.lang WHEN 'de' THEN q.de WHEN 'nb' THEN q.nb ELSE q.en END) AS rank
         FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id, q
        WHERE ${conds.join(' AND ')}
          AND ((t.lang = 'en' AND t.tsv @@ q.en) OR (t.lang = 'de' AND t.tsv @@ q.de) OR (t.lang = 'nb' AND t.tsv @@ q.nb))
        ORDER BY a.id, (t.lang = $3) DESC, rank DESC),
     top AS (SELECT * FROM m ORDER BY (lang = $3) DESC, rank DESC, title LIMIT $4)
     -- Snippets only for the hits shown: ts_headline re-parses the body, and on every match it cost more than the search.
     SELECT top.id, top.slug, top.status, top.visibility, top.lang, top.title, top.rank,
            ts_headline(CASE top.lang WHEN 'de' THEN 'german' WHEN 'nb' THEN 'norwegian' ELSE 'english' END::regconfig, top.body,
                        CASE top.lang WHEN 'de' THEN q.de WHEN 'nb' THEN q.nb ELSE q.en END,
                        'StartSel=⟦, StopSel=⟧, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
       FROM top, q
      ORDER BY (top.lang = $3) DESC, top.rank DESC, top.title`,
    [accountId, o.q, o.lang, o.limit ?? 20],
  );
  return r.rows.map((x) => ({ ...x, snippet: markdownToText(x.snippet), rank: Number(x.rank) }));
}

export interface ListItem {
  id: string; slug: string; status: Article['status']; visibility: Article['visibility']; tags: string[]; langs: Lang[]; title: string; lang: Lang; updatedAt: string;
  snippet?: string;
}

/** Agents' list: every article (drafts, internal), or a search over them when `q` is given. */
export async function listArticles(ctx: Ctx, p: Principal, o: { q?: string; lang?: Lang; status?: 'draft' | 'published'; limit?: number }): Promise<ListItem[]> {
  requireCap(p, 'conversations');
  const lang = o.lang ?? 'en';
  const r = await ctx.db.query<Row>(
    `${SELECT} WHERE a.account_id = $1 AND ($2::text IS NULL OR a.status = $2) ORDER BY a.updated_at DESC LIMIT 500`,
    [p.accountId, o.status ?? null],
  );
  const byId = new Map(r.rows.map((row) => [row.id, row]));
  const item = (row: Row, pick?: Lang, snippet?: string): ListItem => {
    const tr = row.translations ?? [];
    const t = tr.find((x) => x.lang === (pick ?? lang)) ?? tr.find((x) => x.lang === 'en') ?? tr[0];
    return {
      id: row.id, slug: row.slug, status: row.status, visibility: row.visibility, tags: row.tags, langs: tr.map((x) => x.lang),
      title: t?.title ?? row.slug, lang: t?.lang ?? lang, updatedAt: iso(row.updated_at)!, ...(snippet !== undefined ? { snippet } : {}),
    };
  };
  if (!o.q?.trim()) return r.rows.slice(0, o.limit ?? 200).map((row) => item(row));
  const hits = await searchArticles(ctx.db, p.accountId, { q: o.q, lang, publicOnly: false, status: o.status, limit: o.limit ?? 50 });
  return hits.filter((h) => byId.has(h.id)).map((h) => item(byId.get(h.id)!, h.lang, h.snippet));
}

// ------------------------------------------------------------------------------------------------ public

export async function publicSearch(ctx: Ctx, accountId: string, q: string, lang: Lang, limit = 10): Promise<SearchHit[]> {
  if (!q.trim()) return [];
  return searchArticles(ctx.db, accountId, { q, lang, publicOnly: true, limit });
}

/** Published public articles, newest first (the help page's list). */
export async function publicList(ctx: Ctx, accountId: string, lang: Lang, limit = 50) {
  const r = await ctx.db.query<Row>(
    `${SELECT} WHERE a.account_id = $1 AND a.status = 'published' AND a.visibility = 'public' ORDER BY a.published_at DESC NULLS LAST, a.slug LIMIT $2`,
    [accountId, limit],
  );
  return r.rows.map((row) => {
    const tr = row.translations ?? [];
    const t = tr.find((x) => x.lang === lang) ?? tr.find((x) => x.lang === 'en') ?? tr[0];
    return { slug: row.slug, lang: t.lang, title: t.title, tags: row.tags };
  });
}

export interface PublicArticle { slug: string; lang: Lang; title: string; html: string; text: string; langs: Lang[]; tags: string[]; updatedAt: string }

/** A published public article in `lang`, else the account's language, else English, else any. 404 otherwise. */
export async function publicArticle(ctx: Ctx, accountId: string, slug: string, lang: Lang, fallback: Lang = 'en'): Promise<PublicArticle> {
  const r = /^[a-z0-9][a-z0-9-]{0,99}$/.test(slug)
    ? await ctx.db.query<Row>(`${SELECT} WHERE a.account_id = $1 AND a.slug = $2 AND a.status = 'published' AND a.visibility = 'public'`, [accountId, slug])
    : { rows: [] as Row[] };
  const row = r.rows[0];
  if (!row?.translations?.length) throw new AppError('not_found', 'Article not found', 404);
  const tr = row.translations;
  const t = tr.find((x) => x.lang === lang) ?? tr.find((x) => x.lang === fallback) ?? tr.find((x) => x.lang === 'en') ?? tr[0];
  return {
    slug: row.slug, lang: t.lang, title: t.title, html: renderMarkdown(t.body), text: markdownToText(t.body),
    langs: tr.map((x) => x.lang), tags: row.tags, updatedAt: iso(t.updated_at)!,
  };
}
