/** Response shapes of the knowledge-base routes (knowledge.service.ts): articles, lists, public search and articles. */
import { Type, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
const Lang = Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('nb')]);
const Status = Type.Union([Type.Literal('draft'), Type.Literal('published')]);
const Visibility = Type.Union([Type.Literal('public'), Type.Literal('internal')]);

const Translation = Type.Object(
  { title: Type.String(), body: Type.String({ description: 'markdown' }), html: Type.String({ description: 'the body rendered' }), updatedAt: DateTime() },
  { ...closed, title: 'ArticleTranslation' },
);
export const Article = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    slug: Type.String(),
    status: Status,
    visibility: Visibility,
    tags: Type.Array(Type.String()),
    source: Nullable(Type.Object({ type: Type.String(), id: Type.String() }, { ...closed, description: 'e.g. the community answer it was promoted from' })),
    publishedAt: Nullable(DateTime()),
    createdAt: DateTime(),
    updatedAt: DateTime(),
    translations: Type.Object(
      { en: Type.Optional(Translation), de: Type.Optional(Translation), nb: Type.Optional(Translation) },
      { ...closed, title: 'ArticleTranslations' },
    ),
  },
  { ...closed, title: 'Article' },
);

export const ArticleList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          id: Type.String({ format: 'uuid' }),
          slug: Type.String(),
          status: Status,
          visibility: Visibility,
          tags: Type.Array(Type.String()),
          langs: Type.Array(Lang),
          title: Type.String(),
          lang: Lang,
          updatedAt: DateTime(),
          snippet: Type.Optional(Type.String({ description: 'with q: the matching text, matches marked ⟦ ⟧' })),
        },
        { ...closed, title: 'ArticleListItem' },
      ),
    ),
  },
  { ...closed, title: 'ArticleList' },
);

export const PublicSearch = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { slug: Type.String(), lang: Lang, title: Type.String(), snippet: Type.String({ description: 'matches marked ⟦ ⟧' }), url: Type.String() },
        { ...closed, title: 'PublicArticleHit' },
      ),
    ),
  },
  { ...closed, title: 'PublicArticleSearch' },
);

export const PublicArticle = Type.Object(
  {
    slug: Type.String(),
    lang: Lang,
    title: Type.String(),
    html: Type.String(),
    text: Type.String(),
    langs: Type.Array(Lang),
    tags: Type.Array(Type.String()),
    updatedAt: DateTime(),
    url: Type.String({ description: 'the help page of the article' }),
  },
  { ...closed, title: 'PublicArticle' },
);
