/** The knowledge screen: list and search articles, edit drafts in en/de/nb tabs, publish (supervisor, admin). */
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, SegmentedControl, Select, Stack, Table, Tabs, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, del, post, put } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import { can, useMe } from '../../lib/session';
import { LANGS, useArticle, useArticles, type Lang, type ListItem } from './api';
import { SnippetMarks } from './SnippetMarks';
import { ScrollX } from '../../lib/ScrollX';

type Draft = Record<Lang, { title: string; body: string }>;
const empty = (): Draft => ({ en: { title: '', body: '' }, de: { title: '', body: '' }, nb: { title: '', body: '' } });

function Editor({ id, onClose }: { id: string | 'new'; onClose: () => void }) {
  const { t } = useTranslation('knowledge');
  const me = useMe();
  const manage = can(me.data?.role, 'manage');
  const qc = useQueryClient();
  const art = useArticle(id === 'new' ? null : id);
  const [tab, setTab] = useState<string | null>('en');
  const [draft, setDraft] = useState<Draft>(empty);
  const [visibility, setVisibility] = useState<string>('public');
  const [tags, setTags] = useState<string[]>([]);
  const [slug, setSlug] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!art.data) return;
    const d = empty();
    for (const l of LANGS) if (art.data.translations[l]) d[l] = { title: art.data.translations[l]!.title, body: art.data.translations[l]!.body };
    setDraft(d);
    setVisibility(art.data.visibility);
    setTags(art.data.tags);
    setSlug(art.data.slug);
  }, [art.data]);
  const published = art.data?.status === 'published';
  const readOnly = published && !manage;

  const run = async (fn: () => Promise<unknown>, close = false) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: ['kb'] });
      if (close) onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('error'));
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async () => {
      const translations: Record<string, { title: string; body: string } | null> = {};
      for (const l of LANGS) {
        const v = draft[l];
        if (v.title.trim()) translations[l] = v;
        else if (art.data?.translations[l]) translations[l] = null;
      }
      const body = { visibility, tags, ...(slug ? { slug } : {}), translations };
      if (id === 'new') await post('/kb/articles', body);
      else await put(`/kb/articles/${id}`, body);
    }, true);

  return (
    <Stack gap="sm">
      {published && <Alert color="blue">{manage ? t('editor.publishedManage') : t('editor.publishedLocked')}</Alert>}
      {art.data?.source && <Text size="sm" c="dimmed">{t('editor.source', { type: t(`source.${art.data.source.type}`, { defaultValue: art.data.source.type }) })}</Text>}
      <Group grow>
        <TextInput label={t('editor.slug')} description={t('editor.slugHint')} value={slug} onChange={(e) => setSlug(e.currentTarget.value)} disabled={readOnly} />
        <Select label={t('editor.visibility')} value={visibility} onChange={(v) => setVisibility(v ?? 'public')} disabled={readOnly}
          data={[{ value: 'public', label: t('visibility.public') }, { value: 'internal', label: t('visibility.internal') }]} allowDeselect={false} />
      </Group>
      <TagsInput label={t('editor.tags')} value={tags} onChange={setTags} disabled={readOnly} />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          {LANGS.map((l) => (
            <Tabs.Tab key={l} value={l}>{t(`lang.${l}`)}{draft[l].title.trim() ? '' : ` (${t('editor.missing')})`}</Tabs.Tab>
          ))}
        </Tabs.List>
        {LANGS.map((l) => (
          <Tabs.Panel key={l} value={l} pt="xs" lang={l}>
            <TextInput label={t('editor.title')} value={draft[l].title} disabled={readOnly} onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, [l]: { ...d[l], title: v } })); }} />
            <Textarea label={t('editor.body')} description={t('editor.bodyHint')} autosize minRows={8} maxRows={20} value={draft[l].body} disabled={readOnly}
              onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, [l]: { ...d[l], body: v } })); }} />
          </Tabs.Panel>
        ))}
      </Tabs>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      <Group justify="space-between">
        <Group gap="xs">
          {manage && id !== 'new' && (published
            ? <Button variant="default" loading={busy} onClick={() => void run(() => post(`/kb/articles/${id}/unpublish`))}>{t('unpublish')}</Button>
            : <Button color="teal" loading={busy} onClick={() => void run(() => post(`/kb/articles/${id}/publish`))}>{t('publish')}</Button>)}
          {manage && id !== 'new' && <Button color="red" variant="subtle" loading={busy} onClick={() => void run(() => del(`/kb/articles/${id}`), true)}>{t('delete')}</Button>}
        </Group>
        <Button onClick={() => void save()} loading={busy} disabled={readOnly}>{t('save')}</Button>
      </Group>
    </Stack>
  );
}

export default function KnowledgePage() {
  const { t } = useTranslation('knowledge');
  const me = useMe();
  const [q, setQ] = useState('');
  const [lang, setLang] = useState<Lang>((me.data?.user?.locale as Lang) ?? 'en');
  const [status, setStatus] = useState<string>('all');
  const [editing, setEditing] = useState<string | null>(null);
  const list = useArticles({ q: q.trim() || undefined, lang, status: status === 'all' ? undefined : (status as ListItem['status']) });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('title')}</Title>
        <Group gap="xs">
          {me.data && <Button component="a" variant="default" href={`/help/${me.data.account.slug}`} target="_blank">{t('publicPages')}</Button>}
          <Button onClick={() => setEditing('new')}>{t('new')}</Button>
        </Group>
      </Group>
      <Group align="flex-end">
        <TextInput label={t('search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={320} />
        <Select label={t('searchLang')} value={lang} onChange={(v) => setLang((v as Lang) ?? 'en')} allowDeselect={false} w={140} data={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))} />
        <div>
          <Text size="sm" fw={500} id="kb-status">{t('status.label')}</Text>
          <SegmentedControl aria-labelledby="kb-status" value={status} onChange={setStatus}
            data={[{ value: 'all', label: t('status.all') }, { value: 'draft', label: t('status.draft') }, { value: 'published', label: t('status.published') }]} />
        </div>
      </Group>
      <ScrollX label={t('title')}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('col.title')}</Table.Th>
              <Table.Th>{t('col.status')}</Table.Th>
              <Table.Th>{t('col.languages')}</Table.Th>
              <Table.Th>{t('col.tags')}</Table.Th>
              <Table.Th>{t('col.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.items ?? []).map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => setEditing(a.id)} lang={a.lang}>{a.title}</Button>
                  {a.snippet && <Text size="xs" c="dimmed" lang={a.lang}><SnippetMarks snippet={a.snippet} /></Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge color={a.status === 'published' ? 'teal' : 'gray'}>{t(`status.${a.status}`)}</Badge>
                    {a.visibility === 'internal' && <Badge color="grape" variant="light">{t('visibility.internal')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{a.langs.map((l) => t(`lang.${l}`)).join(', ')}</Table.Td>
                <Table.Td>{a.tags.join(', ')}</Table.Td>
                <Table.Td>{fmtDateTime(a.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
      {list.data && !list.data.items.length && <Text c="dimmed">{t('none')}</Text>}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={editing === 'new' ? t('new') : t('edit')} size="xl" closeButtonProps={{ 'aria-label': t('close') }}>
        {editing && <Editor id={editing} onClose={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
