/**
 * The leaders screen (issue 7): "Today" for a leader (prepared requests with history, journey and a prefilled answer;
 * send or hand back), "To prepare" for the team, the follow-through after the leader's answers, settings (cap,
 * deputy, absences; supervisors and admins edit) and the morning digest preview.
 */
import { useState } from 'react';
import {
  Alert, Anchor, Badge, Button, Card, Group, Loader, MultiSelect, NumberInput, Paper, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe, can } from '../../lib/session';
import { fmtDate, fmtDateTime, fmtDuration } from '../../lib/format';
import { get } from '../../lib/api';
import { useQuery } from '@tanstack/react-query';
import { api, useDigest, useItem, useItems, useLeaders, useLeadersMutation, useToday, type ItemDetail, type Leader, type Stratum } from './api';
import { ScrollX } from '../../lib/ScrollX';

function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert color="red" role="alert">{(error as Error).message}</Alert>;
}

function FindingBadges({ f }: { f: ItemDetail['messages'][number]['findings'] }) {
  const { t } = useTranslation('leaders');
  if (!f) return null;
  return (
    <Group gap={4}>
      <Badge variant="outline" color="gray.8">{t('findings.lang', { lang: f.lang })}</Badge>
      {f.urgency && <Badge variant="outline" color="red.9">{t('findings.urgency', { kind: f.urgency })}</Badge>}
      {f.abuse === 'abuse' && <Badge variant="outline" color="red.9">{t('findings.abuse')}</Badge>}
      {f.abuse === 'criticism' && <Badge variant="outline" color="orange.9">{t('findings.criticism')}</Badge>}
      {f.waitComplaint && <Badge variant="outline" color="violet.9">{t('findings.wait')}</Badge>}
    </Group>
  );
}

/** History (messages with findings) and the customer's journey with lived waits. */
function Context({ item }: { item: ItemDetail }) {
  const { t } = useTranslation('leaders');
  return (
    <Stack gap="xs">
      <Title order={4}>{t('history')}</Title>
      {item.messages.filter((m) => m.kind === 'message').map((m) => (
        <Paper key={m.id} withBorder p="xs">
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>{m.authorName ?? t(`author.${m.authorType}`)}</Text>
            <Text size="xs">{fmtDateTime(m.createdAt)}</Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{m.text}</Text>
          <FindingBadges f={m.findings} />
        </Paper>
      ))}
      <Title order={4}>{t('journey')}</Title>
      <ScrollX label={t('journey')}>
        <Table aria-label={t('journey')} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('col.when')}</Table.Th>
              <Table.Th scope="col">{t('col.channel')}</Table.Th>
              <Table.Th scope="col">{t('col.subject')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('col.livedWait')}</Table.Th>
              <Table.Th scope="col">{t('col.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {item.journey.map((j, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list in the server's order; an entry has no id of its own
              <Table.Tr key={i}>
                <Table.Td>{fmtDateTime(j.at)}</Table.Td>
                <Table.Td>{j.channel}</Table.Td>
                <Table.Td>{j.subject ?? '–'}</Table.Td>
                <Table.Td ta="right">{fmtDuration(j.livedWaitSeconds)}</Table.Td>
                <Table.Td>{j.outcome ?? '–'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
    </Stack>
  );
}

function RequestCard({ item }: { item: ItemDetail }) {
  const { t } = useTranslation('leaders');
  const [text, setText] = useState(item.proposedAnswer ?? '');
  const [reason, setReason] = useState('');
  const send = useLeadersMutation(() => api.answer(item.id, text));
  const back = useLeadersMutation(() => api.handBack(item.id, reason));
  return (
    <Card withBorder component="article" aria-labelledby={`req-${item.id}`} data-testid="leader-request">
      <Stack gap="sm">
        <Title order={3} id={`req-${item.id}`}>
          <Anchor component={Link} to={`/conversations/${item.conversationId}`}>#{item.conversationNumber}</Anchor> {item.subject}
        </Title>
        <Text size="sm">{t('meta', { customer: item.customerName ?? '–', channel: item.channel, by: item.preparedByName ?? '–' })}</Text>
        {item.reason && <Badge color="orange.9" variant="outline">{t(`reason.${item.reason}`, { leader: item.leaderName })}</Badge>}
        <div>
          <Title order={4}>{t('summary')}</Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{item.summary}</Text>
          {item.notes && <Text size="sm" mt={4}>{t('notesLabel')}: {item.notes}</Text>}
        </div>
        <Context item={item} />
        <Textarea label={t('yourAnswer')} description={t('yourAnswerHelp')} autosize minRows={5} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <ErrorText error={send.error ?? back.error} />
        <Group>
          <Button onClick={() => send.mutate(undefined)} loading={send.isPending} disabled={!text.trim()}>{t('send')}</Button>
          <TextInput aria-label={t('handBackReason')} placeholder={t('handBackReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button variant="default" onClick={() => back.mutate(undefined)} loading={back.isPending} disabled={!reason.trim()}>{t('handBack')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function TodayTab() {
  const { t } = useTranslation('leaders');
  const me = useMe();
  const today = useToday(!!me.data?.user);
  if (!me.data?.user) return <Text>{t('signedInOnly')}</Text>;
  if (today.isLoading) return <Loader aria-label={t('loading')} />;
  if (today.error) return <ErrorText error={today.error} />;
  const d = today.data!;
  return (
    <Stack>
      <Text>{d.week.cap === null ? t('weekCountNoCap', { count: d.week.count }) : t('weekCount', { count: d.week.count, cap: d.week.cap })}</Text>
      <Title order={2}>{t('todayRequests')}</Title>
      {!d.prepared.length && <Text>{t('noneReady')}</Text>}
      {d.prepared.map((i) => <RequestCard key={i.id} item={i} />)}
      {d.beingPrepared.length > 0 && (
        <>
          <Title order={2}>{t('beingPrepared')}</Title>
          <ul>
            {d.beingPrepared.map((i) => <li key={i.id}>#{i.conversationNumber} {i.subject} ({i.channel}, {fmtDate(i.day)})</li>)}
          </ul>
        </>
      )}
    </Stack>
  );
}

export function PrepareForm({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation('leaders');
  const item = useItem(id);
  if (!item.data) return <Loader aria-label={t('loading')} />;
  return <PrepareFields item={item.data} onDone={onDone} />;
}

function PrepareFields({ item, onDone }: { item: ItemDetail; onDone: () => void }) {
  const { t } = useTranslation('leaders');
  const [summary, setSummary] = useState(item.summary ?? '');
  const [proposed, setProposed] = useState(item.proposedAnswer ?? '');
  const [notes, setNotes] = useState(item.notes ?? '');
  const save = useLeadersMutation(() => api.prepare(item.id, { summary, proposedAnswer: proposed, notes: notes || undefined }).then(onDone));
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3}>#{item.conversationNumber} {item.subject}</Title>
        <Text size="sm">{t('forLeader', { leader: item.assigneeName })}</Text>
        <Context item={item} />
        <Textarea label={t('summary')} required autosize minRows={2} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} />
        <Textarea label={t('proposedAnswer')} required autosize minRows={4} value={proposed} onChange={(e) => setProposed(e.currentTarget.value)} />
        <Textarea label={t('notesLabel')} autosize minRows={1} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        <ErrorText error={save.error} />
        <Group>
          <Button onClick={() => save.mutate(undefined)} loading={save.isPending} disabled={!summary.trim() || !proposed.trim()}>{t('markPrepared')}</Button>
          <Button variant="default" onClick={onDone}>{t('cancel')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function PrepareTab() {
  const { t } = useTranslation('leaders');
  const items = useItems({ status: 'drawn' });
  const me = useMe();
  const [open, setOpen] = useState<string | null>(null);
  if (open) return <PrepareForm id={open} onDone={() => setOpen(null)} />;
  return (
    <Stack>
      <Title order={2}>{t('toPrepare')}</Title>
      {items.data && !items.data.length && <Text>{t('nothingToPrepare')}</Text>}
      {!!items.data?.length && (
        <ScrollX label={t('toPrepare')}>
          <Table aria-label={t('toPrepare')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('col.day')}</Table.Th>
                <Table.Th scope="col">{t('col.conversation')}</Table.Th>
                <Table.Th scope="col">{t('col.leader')}</Table.Th>
                <Table.Th scope="col">{t('col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{fmtDate(i.day)}</Table.Td>
                  <Table.Td>#{i.conversationNumber} {i.subject}</Table.Td>
                  <Table.Td>{i.assigneeName}{i.reason ? ` (${t(`reason.${i.reason}`, { leader: i.leaderName })})` : ''}</Table.Td>
                  <Table.Td>
                    {me.data?.user?.id !== i.assigneeId && me.data?.role !== 'leader' && (
                      <Button size="xs" onClick={() => setOpen(i.id)} aria-label={t('prepareOne', { n: i.conversationNumber })}>{t('prepare')}</Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
    </Stack>
  );
}

function FollowTab() {
  const { t } = useTranslation('leaders');
  const items = useItems({ status: 'answered' });
  const handed = useItems({ status: 'handed_back' });
  return (
    <Stack>
      <Title order={2}>{t('followThrough')}</Title>
      {items.data && !items.data.length && <Text>{t('noAnswers')}</Text>}
      {!!items.data?.length && (
        <ScrollX label={t('followThrough')}>
          <Table aria-label={t('followThrough')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('col.conversation')}</Table.Th>
                <Table.Th scope="col">{t('col.leader')}</Table.Th>
                <Table.Th scope="col">{t('col.answeredAt')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('col.timeToAnswer')}</Table.Th>
                <Table.Th scope="col">{t('col.customerReplied')}</Table.Th>
                <Table.Th scope="col">{t('col.status')}</Table.Th>
                <Table.Th scope="col">{t('col.satisfaction')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td><Anchor component={Link} to={`/conversations/${i.conversationId}`}>#{i.conversationNumber} {i.subject}</Anchor></Table.Td>
                  <Table.Td>{i.assigneeName}</Table.Td>
                  <Table.Td>{fmtDateTime(i.answeredAt)}</Table.Td>
                  <Table.Td ta="right">{fmtDuration(i.followThrough?.timeToAnswerSeconds)}</Table.Td>
                  <Table.Td>{i.followThrough?.customerReplied ? t('yesAt', { at: fmtDateTime(i.followThrough.customerRepliedAt) }) : t('no')}</Table.Td>
                  <Table.Td>{i.followThrough?.conversationStatus}</Table.Td>
                  <Table.Td>{i.followThrough?.satisfaction ? `${i.followThrough.satisfaction.score}/5` : '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
      {!!handed.data?.length && (
        <>
          <Title order={3}>{t('handedBack')}</Title>
          <ul>{handed.data.map((i) => <li key={i.id}>#{i.conversationNumber} {i.subject}: {i.handBackReason} ({i.assigneeName})</li>)}</ul>
        </>
      )}
    </Stack>
  );
}

const DAYS = [1, 2, 3, 4, 5, 6, 7];
const STRATA: Stratum[] = ['channel', 'queue', 'language'];
const isStratum = (s: string): s is Stratum => (STRATA as string[]).includes(s);

function LeaderSettingsForm({ leader, users, onDone }: { leader: Leader | null; users: { id: string; name: string }[]; onDone: () => void }) {
  const { t } = useTranslation('leaders');
  const [userId, setUserId] = useState<string | null>(leader?.userId ?? null);
  const [rpd, setRpd] = useState<number>(leader?.requestsPerDay ?? 2);
  const [cap, setCap] = useState<number>(leader?.weeklyCap ?? 8);
  const [deputy, setDeputy] = useState<string | null>(leader?.deputyId ?? null);
  const [hour, setHour] = useState<number>(leader?.digestHour ?? 7);
  const [days, setDays] = useState<string[]>((leader?.workingDays ?? [1, 2, 3, 4, 5]).map(String));
  const [dedup, setDedup] = useState<number>(leader?.dedupDays ?? 30);
  const [strata, setStrata] = useState<Stratum[]>(leader?.stratify ?? []);
  const save = useLeadersMutation(() =>
    api.settings(userId!, { requestsPerDay: rpd, weeklyCap: cap, deputyId: deputy, digestHour: hour, workingDays: days.map(Number), dedupDays: dedup, stratify: strata }).then(onDone));
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Select label={t('settings.user')} data={users.map((u) => ({ value: u.id, label: u.name }))} value={userId} onChange={setUserId} disabled={!!leader} searchable />
        <NumberInput label={t('settings.requestsPerDay')} min={1} max={3} value={rpd} onChange={(v) => setRpd(Number(v))} />
        <NumberInput label={t('settings.weeklyCap')} min={0} max={50} value={cap} onChange={(v) => setCap(Number(v))} />
        <Select label={t('settings.deputy')} data={users.filter((u) => u.id !== userId).map((u) => ({ value: u.id, label: u.name }))} value={deputy} onChange={setDeputy} clearable searchable />
        <NumberInput label={t('settings.digestHour')} min={0} max={23} value={hour} onChange={(v) => setHour(Number(v))} />
        <MultiSelect label={t('settings.workingDays')} data={DAYS.map((d) => ({ value: String(d), label: t(`weekday.${d}`) }))} value={days} onChange={setDays} />
        <NumberInput label={t('settings.dedupDays')} min={0} max={365} value={dedup} onChange={(v) => setDedup(Number(v))} />
        <MultiSelect label={t('settings.stratify')} data={STRATA.map((s) => ({ value: s, label: t(`stratum.${s}`) }))} value={strata} onChange={(v) => setStrata(v.filter(isStratum))} />
        <ErrorText error={save.error} />
        <Group>
          <Button onClick={() => save.mutate(undefined)} loading={save.isPending} disabled={!userId}>{t('save')}</Button>
          <Button variant="default" onClick={onDone}>{t('cancel')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function AbsenceForm({ leader }: { leader: Leader }) {
  const { t } = useTranslation('leaders');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const add = useLeadersMutation(() => api.absence(leader.userId, { from, to }));
  const remove = useLeadersMutation((id: string) => api.removeAbsence(leader.userId, id));
  return (
    <Stack gap={4}>
      {leader.absences.map((a) => (
        <Group key={a.id} gap="xs">
          <Text size="sm">{fmtDate(a.from)} – {fmtDate(a.to)}{a.note ? ` (${a.note})` : ''}</Text>
          <Button size="compact-xs" variant="subtle" onClick={() => remove.mutate(a.id)} aria-label={`${t('remove')}: ${a.from} – ${a.to}`}>{t('remove')}</Button>
        </Group>
      ))}
      <Group gap="xs" align="end">
        <TextInput type="date" size="xs" label={t('absenceFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" size="xs" label={t('absenceTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button size="xs" variant="default" onClick={() => add.mutate(undefined)} disabled={!from || !to}>{t('addAbsence')}</Button>
      </Group>
      <ErrorText error={add.error ?? remove.error} />
    </Stack>
  );
}

function SettingsTab() {
  const { t } = useTranslation('leaders');
  const me = useMe();
  const manage = can(me.data?.role, 'manage');
  const leaders = useLeaders();
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ items: { id: string; name: string }[] }>('/users').then((r) => r.items) });
  const [edit, setEdit] = useState<Leader | 'new' | null>(null);
  const draw = useLeadersMutation(() => api.draw());
  if (edit) return <LeaderSettingsForm leader={edit === 'new' ? null : edit} users={users.data ?? []} onDone={() => setEdit(null)} />;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('settings.title')}</Title>
        {manage && (
          <Group>
            <Button variant="default" onClick={() => draw.mutate(undefined)} loading={draw.isPending}>{t('drawNow')}</Button>
            <Button onClick={() => setEdit('new')}>{t('settings.add')}</Button>
          </Group>
        )}
      </Group>
      <ErrorText error={draw.error} />
      <ScrollX label={t('settings.title')}>
        <Table aria-label={t('settings.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('col.leader')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('settings.requestsPerDay')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('col.thisWeek')}</Table.Th>
              <Table.Th scope="col">{t('settings.deputy')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('settings.digestHour')}</Table.Th>
              <Table.Th scope="col">{t('col.absences')}</Table.Th>
              {manage && <Table.Th scope="col">{t('col.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(leaders.data ?? []).map((l) => (
              <Table.Tr key={l.userId}>
                <Table.Td>{l.name}{l.absentToday ? ` (${t('absentToday')})` : ''}</Table.Td>
                <Table.Td ta="right">{l.requestsPerDay}</Table.Td>
                <Table.Td ta="right">{t('countOfCap', { count: l.weekCount, cap: l.weeklyCap })}</Table.Td>
                <Table.Td>{l.deputyName ?? '–'}</Table.Td>
                <Table.Td ta="right">{String(l.digestHour).padStart(2, '0')}:00 ({l.timezone})</Table.Td>
                <Table.Td>{manage || me.data?.user?.id === l.userId ? <AbsenceForm leader={l} /> : l.absences.map((a) => `${fmtDate(a.from)}–${fmtDate(a.to)}`).join(', ') || '–'}</Table.Td>
                {manage && <Table.Td><Button size="xs" variant="default" onClick={() => setEdit(l)} aria-label={t('editOne', { name: l.name })}>{t('edit')}</Button></Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
    </Stack>
  );
}

function DigestTab() {
  const { t } = useTranslation('leaders');
  const me = useMe();
  const leaders = useLeaders();
  const mine = leaders.data?.find((l) => l.userId === me.data?.user?.id)?.userId ?? null;
  const [chosen, setChosen] = useState<string | null>(null);
  const id = chosen ?? mine ?? leaders.data?.[0]?.userId ?? null;
  const digest = useDigest(id);
  return (
    <Stack>
      <Title order={2}>{t('digest')}</Title>
      <Select label={t('col.leader')} data={(leaders.data ?? []).map((l) => ({ value: l.userId, label: l.name }))} value={id} onChange={setChosen} allowDeselect={false} />
      {digest.error && <ErrorText error={digest.error} />}
      {digest.data && (
        <Paper withBorder p="md">
          <Text fw={600}>{digest.data.subject}</Text>
          <Text size="sm">{t('digestTo', { to: digest.data.to })}</Text>
          <Text component="pre" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{digest.data.text}</Text>
        </Paper>
      )}
    </Stack>
  );
}

export default function LeadersPage() {
  const { t } = useTranslation('leaders');
  const me = useMe();
  const isLeader = me.data?.role === 'leader';
  const [tab, setTab] = useState<string | null>(isLeader ? 'today' : 'prepare');
  return (
    <Stack>
      <Title order={1}>{t('title')}</Title>
      <Text>{t('intro')}</Text>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="today">{t('tabs.today')}</Tabs.Tab>
          <Tabs.Tab value="prepare">{t('tabs.prepare')}</Tabs.Tab>
          <Tabs.Tab value="follow">{t('tabs.follow')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('tabs.settings')}</Tabs.Tab>
          {can(me.data?.role, 'reports') && <Tabs.Tab value="digest">{t('tabs.digest')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="today" pt="md"><TodayTab /></Tabs.Panel>
        <Tabs.Panel value="prepare" pt="md"><PrepareTab /></Tabs.Panel>
        <Tabs.Panel value="follow" pt="md"><FollowTab /></Tabs.Panel>
        <Tabs.Panel value="settings" pt="md"><SettingsTab /></Tabs.Panel>
        <Tabs.Panel value="digest" pt="md"><DigestTab /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
