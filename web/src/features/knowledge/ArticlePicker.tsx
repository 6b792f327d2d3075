/**
 * "Insert article" for the reply composer: search published articles, pick one; it is inserted in the
 * conversation's language when a translation exists (else the article's first), as text plus its public link.
 */
import { useState } from 'react';
import { Badge, Button, Group, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';
import { useMe } from '../../lib/session';
import { LANGS, markdownToText, useArticles, type Article, type Lang } from './api';
import { SnippetMarks } from './SnippetMarks';

export function ArticlePicker({ language, onInsert, disabled }: { language: string | null; onInsert: (text: string) => void; disabled?: boolean }) {
  const { t } = useTranslation('knowledge');
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const lang: Lang = (LANGS as string[]).includes(language ?? '') ? (language as Lang) : 'en';
  const list = useArticles({ q: q.trim() || undefined, lang, status: 'published' });
  const [error, setError] = useState<string | null>(null);

  const pick = async (id: string) => {
    setError(null);
    try {
      const a = await get<Article>(`/kb/articles/${id}`);
      const l = a.translations[lang] ? lang : (LANGS.find((x) => a.translations[x]) as Lang);
      const tr = a.translations[l]!;
      const link = a.visibility === 'public' && me.data ? `\n\n${location.origin}/help/${me.data.account.slug}/${a.slug}?lang=${l}` : '';
      onInsert(`${tr.title}\n\n${markdownToText(tr.body)}${link}`);
      setOpen(false);
      setQ('');
    } catch {
      setError(t('error'));
    }
  };

  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)} disabled={disabled}>{t('insert.button')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('insert.title')} size="lg" closeButtonProps={{ 'aria-label': t('close') }}>
        <Stack gap="xs">
          <TextInput label={t('search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus description={t('insert.hint', { lang: t(`lang.${lang}`) })} />
          {error && <Text c="red" role="alert">{error}</Text>}
          <Stack gap={4} role="list" aria-label={t('insert.results')}>
            {(list.data?.items ?? []).map((a) => (
              <UnstyledButton key={a.id} role="listitem" onClick={() => void pick(a.id)} p="xs" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6 }}>
                <Group gap="xs">
                  <Text fw={600} lang={a.lang}>{a.title}</Text>
                  {a.visibility === 'internal' && <Badge size="xs" color="gray">{t('visibility.internal')}</Badge>}
                  <Text size="xs" c="dimmed">{a.langs.join(' · ')}</Text>
                </Group>
                {a.snippet && (
                  <Text size="sm" c="dimmed" lang={a.lang}>
                    <SnippetMarks snippet={a.snippet} />
                  </Text>
                )}
              </UnstyledButton>
            ))}
            {list.data && !list.data.items.length && <Text c="dimmed">{t('none')}</Text>}
          </Stack>
        </Stack>
      </Modal>
    </>
  );
}
