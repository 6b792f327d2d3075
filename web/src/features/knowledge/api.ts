/** Knowledge-base types and queries (GET/POST/PUT /kb/articles). */
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';
import type { ApiOk, ApiQuery, Item } from '../../api/types';

export type Article = ApiOk<'/api/v1/kb/articles/{id}', 'get'>;
export type Translation = NonNullable<Article['translations']['en']>;
export type ListItem = Item<ApiOk<'/api/v1/kb/articles', 'get'>['items']>;
export type Lang = ListItem['lang'];
export const LANGS: Lang[] = ['en', 'de', 'nb'];

export const useArticles = (p: ApiQuery<'/api/v1/kb/articles', 'get'>) =>
  useQuery({ queryKey: ['kb', 'articles', p], queryFn: () => get<{ items: ListItem[] }>(`/kb/articles${qs(p)}`) });
export const useArticle = (id: string | null) =>
  useQuery({ queryKey: ['kb', 'article', id], queryFn: () => get<Article>(`/kb/articles/${id}`), enabled: !!id });

/** Plain text of an article body (markdown) for a reply. */
export const markdownToText = (md: string) =>
  md
    .replace(/\r\n?/g, '\n')
    .replace(/^#{1,3}\s+/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\(([^\s)]+)\)/g, '$1 ($2)')
    .trim();

/** A snippet with ⟦matches⟧ as React-safe parts: [text, marked, text, …]. */
export const snippetParts = (s: string) => s.split(/[⟦⟧]/);
