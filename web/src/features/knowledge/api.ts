/** Knowledge-base types and queries (GET/POST/PUT /kb/articles). */
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../lib/api';

export type Lang = 'en' | 'de' | 'nb';
export const LANGS: Lang[] = ['en', 'de', 'nb'];
export interface Translation { title: string; body: string; html: string; updatedAt: string }
export interface Article {
  id: string;
  slug: string;
  status: 'draft' | 'published';
  visibility: 'public' | 'internal';
  tags: string[];
  source: { type: string; id: string } | null;
  publishedAt: string | null;
  updatedAt: string;
  translations: Partial<Record<Lang, Translation>>;
}
export interface ListItem {
  id: string; slug: string; status: 'draft' | 'published'; visibility: 'public' | 'internal'; tags: string[]; langs: Lang[];
  title: string; lang: Lang; updatedAt: string; snippet?: string;
}

export const useArticles = (p: { q?: string; lang?: Lang; status?: string }) =>
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
