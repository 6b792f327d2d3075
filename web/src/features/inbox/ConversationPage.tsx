/**
 * One conversation: the timeline of messages, internal notes and contact events (calls, callbacks, assignment, SLA
 * breaches) across channels; the reply composer; status, priority, assignment, queue and tags; who else is viewing or
 * replying; SLA clocks; merge; the customer sidebar. Keyboard: r reply, e solve, g i inbox, ? help.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Box, Button, Center, Grid, Group, Loader, Paper, Select, Stack, TagsInput, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, get, patch, post } from '../../lib/api';
import type { ApiOk, Item } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { onChange } from '../../lib/realtime';
import { useMe } from '../../lib/session';
import { offerUndo } from '../../lib/undo';
import { PRIORITIES, STATUSES, useConversation, useUsers, type ContactEvent, type ContactEvents, type Conversation, type Message } from './api';
import { useQueues } from '../../api/queues';
import { ChannelBadge, PriorityBadge, SlaClock, StatusBadge, useNow } from './bits';
import { ThreatMark } from './ThreatMark';
import { Composer } from './Composer';
import { CustomerSidebar } from './CustomerSidebar';
import { ConversationExtras } from '../extras';
import { FindingBadges } from './Findings';
import { MergeDialog } from './MergeDialog';
import { ShortcutHelp, useShortcuts } from './shortcuts';

type OutboundEmail = Item<ApiOk<'/api/v1/conversations/{id}/emails', 'get'>['items']>;
type EmailDetails = ApiOk<'/api/v1/messages/{id}/email', 'get'>;

/** Events shown in the timeline (messages show themselves; these are the rest of what happened). */
const SHOWN_EVENTS = new Set([
  'queue.entered', 'agent.offered', 'contact.answered', 'contact.abandoned', 'contact.resolved', 'contact.reopened', 'contact.transferred',
  'callback.requested', 'callback.made', 'ivr.entered', 'conversation.status_changed', 'conversation.assigned',
  'conversation.priority_changed', 'conversation.merged', 'conversation.split', 'sla.breached',
]);

function EmailExtras({ m }: { m: Message }) {
  const { t } = useTranslation('inbox');
  const [quoted, setQuoted] = useState(false);
  const [formatted, setFormatted] = useState(false);
  const details = useQuery({
    queryKey: ['message-email', m.id],
    enabled: quoted,
    queryFn: () => get<EmailDetails>(`/messages/${m.id}/email`).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  });
  if (!m.html && !m.hasQuoted) return null;
  return (
    <Stack gap={4} mt={4}>
      <Group gap="xs">
        {m.html && (
          <Button size="compact-xs" variant="subtle" aria-expanded={formatted} onClick={() => setFormatted((v) => !v)}>
            {formatted ? t('message.hideFormatted') : t('message.showFormatted')}
          </Button>
        )}
        {m.direction === 'inbound' && m.hasQuoted && (
          <Button size="compact-xs" variant="subtle" aria-expanded={quoted} onClick={() => setQuoted((v) => !v)}>
            {quoted ? t('message.hideQuoted') : t('message.showQuoted')}
          </Button>
        )}
      </Group>
      {formatted && m.html && (
        // Sanitised by the server, and still sandboxed (no scripts, no same-origin, no forms): belt and braces.
        <iframe sandbox="" srcDoc={m.html} title={t('message.formattedTitle')} style={{ width: '100%', height: 320, border: '1px solid var(--mantine-color-gray-3)', background: 'white', resize: 'vertical' }} />
      )}
      {quoted && (
        <Box p="xs" bg="gray.0" style={{ borderLeft: '3px solid var(--mantine-color-gray-4)' }}>
          {details.isLoading ? (
            <Text size="xs" c="dimmed">{t('list.loading')}</Text>
          ) : details.data?.quotedText ? (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>{details.data.quotedText}</Text>
          ) : (
            <Text size="xs" c="dimmed">{t('message.noQuoted')}</Text>
          )}
        </Box>
      )}
    </Stack>
  );
}

function MessageCard({ m, conv, userName, delivery, fresh }: { m: Message; conv: Conversation; userName: (id: string | null) => string; delivery?: OutboundEmail; fresh: boolean }) {
  const { t } = useTranslation('inbox');
  const note = m.kind === 'note';
  const who =
    m.authorType === 'customer' ? conv.customer.name || conv.customer.identities[0]?.value || t('row.unknownCustomer')
      : m.authorType === 'system' ? t('message.system')
        : userName(m.authorUserId);
  const label = note ? t('message.note') : m.direction === 'inbound' ? t('message.fromCustomer') : t('message.toCustomer');
  return (
    <Paper
      component="article"
      aria-label={`${label}: ${who}, ${fmtDateTime(m.createdAt)}`}
      data-testid={note ? 'note' : 'message'}
      data-direction={m.direction ?? 'note'}
      withBorder
      p="sm"
      ml={m.direction === 'outbound' ? 'xl' : undefined}
      mr={m.direction === 'inbound' ? 'xl' : undefined}
      bg={note ? 'yellow.0' : m.direction === 'outbound' ? 'teal.0' : undefined}
      style={{ borderStyle: note ? 'dashed' : undefined, borderColor: fresh ? 'var(--mantine-color-orange-6)' : note ? 'var(--mantine-color-yellow-6)' : undefined }}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Group gap={6}>
          <Text size="sm" fw={600}>{who}</Text>
          <Badge size="xs" variant="outline" color={note ? '#7a4a00' : m.direction === 'inbound' ? 'blue.9' : '#05664a'}>{label}</Badge>
          {m.automatic && <Badge size="xs" variant="outline" color="gray.7">{t('message.automatic')}</Badge>}
          {delivery && (
            <Badge size="xs" color={delivery.status === 'sent' ? '#05664a' : delivery.status === 'failed' ? 'red.9' : 'gray.7'} variant="outline" title={delivery.lastError ?? undefined} data-testid="delivery-status" data-status={delivery.status}>
              {t(`delivery.${delivery.status}`, { defaultValue: delivery.status })}
              {delivery.status !== 'sent' && delivery.attempts > 0 ? ` (${t('delivery.attempts', { count: delivery.attempts })})` : ''}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">{fmtDateTime(m.createdAt)}</Text>
      </Group>
      <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lang={m.language ?? undefined}>{m.text}</Text>
      {!note && m.direction === 'inbound' && m.authorType === 'customer' && <FindingBadges conversationId={conv.id} m={m} />}
      {delivery?.status === 'failed' && delivery.lastError && <Text size="xs" c="red" mt={4}>{delivery.lastError}</Text>}
      {!!m.attachments.length && (
        <Group gap="xs" mt={6}>
          {m.attachments.map((a) => (
            <Anchor key={a.id} href={`/api/v1/attachments/${a.id}`} download={a.filename} size="xs">
              📎 {a.filename} ({Math.max(1, Math.round(a.size / 1024))} KB)
            </Anchor>
          ))}
        </Group>
      )}
      {conv.channel === 'email' && !note && <EmailExtras m={m} />}
    </Paper>
  );
}

function EventLine({ e, userName }: { e: ContactEvent; userName: (id: string | null) => string }) {
  const { t } = useTranslation('inbox');
  // An event's data is free-form (its fields depend on the type); these are the ones a line shows.
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const [to, metric, detectedAt] = [text(e.data.to), text(e.data.metric), text(e.data.detectedAt)];
  const vars = {
    agent: userName(e.agentId),
    to: to === null ? '–' : e.type === 'conversation.assigned' ? userName(to) : t(`status.${to}`, { defaultValue: t(`priority.${to}`, { defaultValue: to }) }),
    metric: metric ? t(`sla.${metric}`) : '',
    channel: t(`channel.${e.channel}`, { defaultValue: e.channel }),
  };
  return (
    <Group gap={6} px="sm" data-testid="timeline-event" data-type={e.type} wrap="nowrap">
      <ChannelBadge channel={e.channel} />
      <Text size="xs" c={e.type === 'sla.breached' || e.type === 'contact.abandoned' ? 'red.8' : 'dimmed'}>
        {t(`event.${e.type.replace('.', '_')}`, { ...vars, defaultValue: e.type })} · {fmtDateTime(e.occurredAt)}
        {e.type === 'sla.breached' && detectedAt && Date.parse(detectedAt) - Date.parse(e.occurredAt) > 60_000 ? ` · ${t('sla.detectedAt', { at: fmtDateTime(detectedAt) })}` : ''}
      </Text>
    </Group>
  );
}

export default function ConversationPage() {
  const { t } = useTranslation('inbox');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const conv = useConversation(id);
  const users = useUsers();
  const queues = useQueues();
  const events = useQuery({ queryKey: ['conversation', id, 'events'], queryFn: () => get<ContactEvents>(`/conversations/${id}/events`) });
  const emails = useQuery({
    queryKey: ['conversation', id, 'emails'],
    enabled: conv.data?.channel === 'email',
    queryFn: () => get<{ items: OutboundEmail[] }>(`/conversations/${id}/emails`),
  });
  const now = useNow(15_000);
  const [help, helpCtl] = useDisclosure(false);
  const [merge, mergeCtl] = useDisclosure(false);
  const [writing, setWriting] = useState(false);
  const [visitorTyping, setVisitorTyping] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const c = conv.data;

  // Collision detection: tell the server we are here (renewed every 20 s), replying while the composer holds text.
  const mode = writing ? 'replying' : 'viewing';
  useEffect(() => {
    if (!me?.user) return;
    const ping = () => void post(`/conversations/${id}/viewing`, { mode }).catch(() => {});
    ping();
    const i = setInterval(ping, 20_000);
    return () => clearInterval(i);
  }, [id, mode, me?.user]);
  useEffect(() => {
    if (!me?.user) return;
    return () => void post(`/conversations/${id}/viewing`, { mode: 'left' }).catch(() => {});
  }, [id, me?.user]);

  // The visitor typing in the chat widget.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onChange((m) => {
      if (m.type !== 'chat.typing' || m.conversationId !== id || m.from === 'agent') return;
      clearTimeout(timer);
      setVisitorTyping(!!m.on);
      if (m.on) timer = setTimeout(() => setVisitorTyping(false), 6000);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [id]);
  // Events and delivery status live under ['conversation', id, …], so the realtime hook refreshes them with it.

  const userName = useMemo(() => {
    const map = new Map((users.data?.items ?? []).map((u) => [u.id, u.name]));
    return (uid: string | null) => (uid ? map.get(uid) ?? t('message.agent') : t('message.system'));
  }, [users.data, t]);

  const change = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: ['conversation', id] });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
    } catch (e) {
      setError(e instanceof ApiError ? e.detail ?? e.message : t('error.generic'));
    }
  };
  const setStatus = (status: string) => change(() => patch(`/conversations/${id}`, { status }));
  // `e` and the Solve button solve at once, with an Undo for a few seconds that puts the previous status back.
  const solve = async () => {
    if (!c || c.status === 'solved' || c.status === 'closed') return;
    const from = c.status;
    const n = c.number;
    setError(null);
    try {
      await patch(`/conversations/${id}`, { status: 'solved' });
    } catch (e) {
      setError(e instanceof ApiError ? e.detail ?? e.message : t('error.generic'));
      return;
    }
    void qc.invalidateQueries({ queryKey: ['conversation', id] });
    void qc.invalidateQueries({ queryKey: ['conversations'] });
    offerUndo(t('conversation.solvedUndo', { n }), async () => {
      await patch(`/conversations/${id}`, { status: from });
      void qc.invalidateQueries({ queryKey: ['conversation', id] });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
    });
  };

  useShortcuts({
    r: () => composerRef.current?.focus(),
    e: () => void solve(),
    '?': helpCtl.open,
    'g i': () => navigate('/inbox'),
  });

  if (conv.isLoading) return <Center h="50vh"><Loader aria-label={t('list.loading')} /></Center>;
  if (conv.isError || !c)
    return (
      <Alert color="red" role="alert" title={t('conversation.notFound')}>
        <Anchor component={Link} to="/inbox">{t('conversation.back')}</Anchor>
      </Alert>
    );

  const deliveries = new Map((emails.data?.items ?? []).filter((e) => e.messageId).map((e) => [e.messageId!, e]));
  const items: ({ at: string; m: Message } | { at: string; e: ContactEvent })[] = [
    ...c.messages.map((m) => ({ at: m.createdAt, m })),
    ...(events.data?.items ?? []).filter((e) => SHOWN_EVENTS.has(e.type)).map((e) => ({ at: e.occurredAt, e })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const others = c.viewers.filter((v) => v.userId !== me?.user?.id);
  const done = c.status === 'solved' || c.status === 'closed';
  const activeUsers = (users.data?.items ?? []).filter((u) => !u.disabled);

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8.5 }}>
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Box miw={0}>
              <Anchor component={Link} to="/inbox" size="sm">← {t('conversation.back')}</Anchor>
              <Title order={1} size="h3" mt={4}>
                <Text span c="dimmed" inherit>#{c.number}</Text> {c.subject}
              </Title>
              <Group gap={6} mt={6}>
                <ChannelBadge channel={c.channel} />
                <StatusBadge status={c.status} />
                <PriorityBadge priority={c.priority} />
                <ThreatMark threat={c.threat} full />
                {c.tags.map((tag) => <Badge key={tag} size="sm" variant="outline" color="gray.7">{tag}</Badge>)}
              </Group>
            </Box>
            <Button variant="subtle" size="xs" onClick={helpCtl.open} visibleFrom="sm">{t('shortcuts.button')}</Button>
          </Group>

          {c.mergedInto && (
            <Alert color="blue" title={t('conversation.merged')}>
              <Anchor component={Link} to={`/conversations/${c.mergedInto}`}>{t('conversation.openMerged')}</Anchor>
            </Alert>
          )}

          <Paper withBorder p="xs" component="section" aria-label={t('sla.title')} data-testid="sla-clocks">
            <Group gap="md">
              <Text size="xs" fw={600}>{t('sla.title')}</Text>
              {c.sla.firstReplyDueAt && (
                <Group gap={4}><Text size="xs">{t('sla.first_reply')}</Text>
                  <SlaClock metric="first_reply" at={c.sla.firstReplyDueAt} now={now} breached={c.sla.breached.includes('first_reply')} done={!!c.sla.firstRepliedAt && !c.sla.breached.includes('first_reply')} /></Group>
              )}
              {c.sla.nextReplyDueAt && (
                <Group gap={4}><Text size="xs">{t('sla.next_reply')}</Text>
                  <SlaClock metric="next_reply" at={c.sla.nextReplyDueAt} now={now} breached={c.sla.breached.includes('next_reply')} /></Group>
              )}
              {c.sla.resolutionDueAt && (
                <Group gap={4}><Text size="xs">{t('sla.resolution')}</Text>
                  <SlaClock metric="resolution" at={c.sla.resolutionDueAt} now={now} breached={c.sla.breached.includes('resolution')} done={done && !c.sla.breached.includes('resolution')} /></Group>
              )}
              {!c.sla.firstReplyDueAt && !c.sla.nextReplyDueAt && !c.sla.resolutionDueAt && <Text size="xs" c="dimmed">{t('sla.none')}</Text>}
              {c.sla.breached.length > 0 && (
                <Badge color="red" size="sm">{t('sla.breachedList', { list: c.sla.breached.map((b) => t(`sla.${b}`)).join(', ') })}</Badge>
              )}
              {c.sla.breaches.map((b) => (
                <Text key={`${b.metric}-${b.dueAt}`} size="xs" c="red.9" data-testid="sla-breach">
                  {t('sla.breachedAt', { metric: t(`sla.${b.metric}`), at: fmtDateTime(b.breachedAt) })}
                  {b.detectedAt && Date.parse(b.detectedAt) - Date.parse(b.breachedAt) > 60_000 ? ` · ${t('sla.detectedAt', { at: fmtDateTime(b.detectedAt) })}` : ''}
                </Text>
              ))}
            </Group>
          </Paper>

          <Box aria-live="polite" data-testid="presence-indicators">
            {others.length > 0 && (
              <Group gap={6}>
                {others.map((v) => (
                  <Badge key={v.userId} color={v.mode === 'replying' ? '#a84300' : 'blue.9'} variant="filled" data-testid="viewer" data-mode={v.mode}>
                    {t(v.mode === 'replying' ? 'collision.replying' : 'collision.viewing', { name: v.name })}
                  </Badge>
                ))}
              </Group>
            )}
            {visitorTyping && <Text size="sm" c="dimmed" fs="italic" data-testid="visitor-typing">{t('collision.visitorTyping')}</Text>}
          </Box>

          <Paper withBorder p="sm" component="section" aria-labelledby="details-title">
            <Title order={2} size="h5" id="details-title" mb="xs">{t('conversation.details')}</Title>
            <Group gap="xs" align="flex-end" wrap="wrap">
              <Select size="xs" w={130} label={t('filters.status')} value={c.status} allowDeselect={false} disabled={!!c.mergedInto || c.status === 'closed'}
                data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} onChange={(v) => v && void setStatus(v)} />
              <Select size="xs" w={120} label={t('filters.priority')} value={c.priority} allowDeselect={false} disabled={!!c.mergedInto}
                data={PRIORITIES.map((s) => ({ value: s, label: t(`priority.${s}`) }))} onChange={(v) => v && void change(() => patch(`/conversations/${id}`, { priority: v }))} />
              <Select size="xs" w={170} label={t('filters.assignee')} value={c.assigneeId} clearable searchable placeholder={t('row.unassigned')} disabled={!!c.mergedInto}
                data={activeUsers.map((u) => ({ value: u.id, label: u.name }))}
                onChange={(v) => void change(() => post(`/conversations/${id}/assign`, { assigneeId: v ?? null }))} />
              {me?.user && c.assigneeId !== me.user.id && (
                <Button size="xs" variant="default" disabled={!!c.mergedInto} onClick={() => void change(() => post(`/conversations/${id}/assign`, { assigneeId: me.user!.id }))}>
                  {t('conversation.assignToMe')}
                </Button>
              )}
              <Select size="xs" w={160} label={t('conversation.queue')} value={c.queueId} clearable placeholder={t('conversation.noQueue')} disabled={!!c.mergedInto}
                data={(queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))}
                onChange={(v) => void change(() => patch(`/conversations/${id}`, { queueId: v ?? null }))} />
              <TagsInput size="xs" w={220} label={t('filters.tag')} value={c.tags} disabled={!!c.mergedInto} clearable
                onChange={(tags) => void change(() => patch(`/conversations/${id}`, { tags }))} />
              {!done && (
                <Button size="xs" color="teal" onClick={() => void solve()}>{t('conversation.solve')}</Button>
              )}
              <Button size="xs" variant="default" onClick={mergeCtl.open} disabled={!!c.mergedInto || c.status === 'closed'}>{t('merge.button')}</Button>
            </Group>
            {error && <Alert mt="xs" color="red" role="alert">{error}</Alert>}
          </Paper>

          <Box component="section" aria-labelledby="timeline-title">
            <Title order={2} size="h5" id="timeline-title" mb="xs">{t('conversation.timeline')}</Title>
            <Stack gap="xs" data-testid="timeline">
              {items.map((it) =>
                'm' in it ? (
                  <MessageCard key={it.m.id} m={it.m} conv={c} userName={userName} delivery={deliveries.get(it.m.id)} fresh={false} />
                ) : (
                  <EventLine key={it.e.id} e={it.e} userName={userName} />
                ),
              )}
            </Stack>
          </Box>

          <Composer ref={composerRef} conv={c} onWriting={setWriting} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 3.5 }}>
        <CustomerSidebar conv={c} />
        <ConversationExtras conv={c} />
      </Grid.Col>
      <ShortcutHelp opened={help} onClose={helpCtl.close} />
      <MergeDialog conv={c} opened={merge} onClose={mergeCtl.close} />
    </Grid>
  );
}
