/**
 * The community screen for agents: held posts to moderate (approve, or remove with a reason — criticism is
 * protected and the server refuses its removal), unanswered questions, answers to verify, verified answers to turn
 * into knowledge-base articles, and the top helpers.
 */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, get, post } from '../../lib/api';
import type { ApiOk, Item } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { useMe } from '../../lib/session';
import { ScrollX } from '../../lib/ScrollX';

type Overview = ApiOk<'/api/v1/community/overview', 'get'>;
type Held = Item<ApiOk<'/api/v1/community/held', 'get'>['items']>;
type AnswerRow = Item<Overview['toVerify']>;

function useAct() {
  const qc = useQueryClient();
  const { t } = useTranslation('community');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? (e.code === 'criticism_protected' ? t('criticismProtected') : e.message) : t('error'));
    } finally {
      setBusy(null);
      await qc.invalidateQueries({ queryKey: ['community'] });
    }
  };
  return { act, error, busy };
}

function HeldPost({ p }: { p: Held }) {
  const { t } = useTranslation('community');
  const [reason, setReason] = useState('');
  const { act, error, busy } = useAct();
  return (
    <Paper withBorder p="sm" component="article" aria-labelledby={`held-${p.id}`}>
      <Group gap="xs" mb={4}>
        <Text fw={600} id={`held-${p.id}`}>{p.kind === 'question' ? p.title : t('answerTo', { title: p.questionTitle })}</Text>
        <Badge color={p.classification === 'abuse' ? 'red' : 'gray'}>{t(`class.${p.classification}`)}</Badge>
        {p.threat && <Badge color="red" variant="filled">{t('threat')}</Badge>}
      </Group>
      <Text size="sm" c="dimmed">{t('by', { name: p.author })} · {fmtDateTime(p.createdAt)}</Text>
      <Text style={{ whiteSpace: 'pre-wrap' }} lang={p.lang} my="xs">{p.body}</Text>
      {p.evidence && <Text size="sm">{t('evidence')}: <mark>{p.evidence}</mark></Text>}
      <Group align="flex-end" mt="xs">
        <Button size="xs" color="teal" loading={busy === 'approve'} onClick={() => void act('approve', () => post(`/community/posts/${p.id}/approve`))}>{t('approve')}</Button>
        <TextInput size="xs" label={t('reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={260} />
        <Button size="xs" color="red" variant="light" disabled={reason.trim().length < 3} loading={busy === 'remove'}
          onClick={() => void act('remove', () => post(`/community/posts/${p.id}/remove`, { reason }))}>{t('remove')}</Button>
      </Group>
      {error && <Alert color="red" role="alert" mt="xs">{error}</Alert>}
    </Paper>
  );
}

function Answers({ rows, promote }: { rows: AnswerRow[]; promote: boolean }) {
  const { t } = useTranslation('community');
  const me = useMe();
  const { act, error, busy } = useAct();
  if (!rows.length) return <Text c="dimmed">{t('nothing')}</Text>;
  return (
    <>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      <ScrollX label={promote ? t('toPromote') : t('toVerify')}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('col.question')}</Table.Th>
              <Table.Th>{t('col.answer')}</Table.Th>
              <Table.Th>{t('col.author')}</Table.Th>
              <Table.Th>{t('col.helpful')}</Table.Th>
              <Table.Th>{t('col.action')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  {me.data ? <Anchor underline="always" href={`/community/${me.data.account.slug}/questions/${a.questionId}`} target="_blank">{a.questionTitle}</Anchor> : a.questionTitle}
                </Table.Td>
                <Table.Td><Text size="sm" lang={a.lang} lineClamp={3}>{a.body}</Text></Table.Td>
                <Table.Td>{a.author}</Table.Td>
                <Table.Td>{a.helpful}</Table.Td>
                <Table.Td>
                  {promote ? (
                    <Button size="xs" loading={busy === a.id} onClick={() => void act(a.id, () => post(`/community/answers/${a.id}/promote`))}>{t('promote')}</Button>
                  ) : (
                    <Button size="xs" color="teal" loading={busy === a.id} onClick={() => void act(a.id, () => post(`/community/answers/${a.id}/verify`))}>{t('verify')}</Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
    </>
  );
}

export default function CommunityPage() {
  const { t } = useTranslation('community');
  const me = useMe();
  const ov = useQuery({ queryKey: ['community', 'overview'], queryFn: () => get<Overview>('/community/overview') });
  const held = useQuery({ queryKey: ['community', 'held'], queryFn: () => get<{ items: Held[] }>('/community/held') });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('title')}</Title>
        {me.data && <Button component="a" variant="default" href={`/community/${me.data.account.slug}`} target="_blank">{t('publicPages')}</Button>}
      </Group>
      <Text c="dimmed">{t('policy')}</Text>
      <section aria-labelledby="c-held">
        <Title order={2} size="h4" id="c-held" mb="xs">{t('held')} ({held.data?.items.length ?? 0})</Title>
        <Stack gap="xs">
          {(held.data?.items ?? []).map((p) => <HeldPost key={p.id} p={p} />)}
          {held.data && !held.data.items.length && <Text c="dimmed">{t('nothingHeld')}</Text>}
        </Stack>
      </section>
      <section aria-labelledby="c-verify">
        <Title order={2} size="h4" id="c-verify" mb="xs">{t('toVerify')}</Title>
        <Answers rows={ov.data?.toVerify ?? []} promote={false} />
      </section>
      <section aria-labelledby="c-promote">
        <Title order={2} size="h4" id="c-promote" mb="xs">{t('toPromote')}</Title>
        <Text size="sm" c="dimmed" mb="xs">{t('promoteHint')} <Anchor component={Link} to="/knowledge" underline="always">{t('knowledgeLink')}</Anchor></Text>
        <Answers rows={ov.data?.toPromote ?? []} promote />
      </section>
      <section aria-labelledby="c-unanswered">
        <Title order={2} size="h4" id="c-unanswered" mb="xs">{t('unanswered')}</Title>
        {ov.data && !ov.data.unanswered.length && <Text c="dimmed">{t('nothing')}</Text>}
        <Stack gap={4}>
          {(ov.data?.unanswered ?? []).map((q) => (
            <Text key={q.id} lang={q.lang}>
              {me.data ? <Anchor underline="always" href={`/community/${me.data.account.slug}/questions/${q.id}`} target="_blank">{q.title}</Anchor> : q.title}{' '}
              <Text span size="sm" c="dimmed">{t('by', { name: q.author })} · {fmtDateTime(q.createdAt)}</Text>
            </Text>
          ))}
        </Stack>
      </section>
      <section aria-labelledby="c-helpers">
        <Title order={2} size="h4" id="c-helpers" mb="xs">{t('helpers')}</Title>
        <ScrollX label={t('helpers')}>
          <Table>
            <Table.Thead>
              <Table.Tr><Table.Th>{t('col.member')}</Table.Th><Table.Th>{t('col.points')}</Table.Th><Table.Th>{t('col.badge')}</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(ov.data?.helpers ?? []).map((h) => (
                <Table.Tr key={h.id}><Table.Td>{h.displayName}</Table.Td><Table.Td>{h.points}</Table.Td><Table.Td>{h.badge ? t(`badge.${h.badge}`) : ''}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      </section>
    </Stack>
  );
}
