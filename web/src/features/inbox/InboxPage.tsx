/**
 * The inbox: views with counts (mine, unassigned, all open, per queue, SLA at risk, waiting on customer), search,
 * filters and a virtualised list that fetches only the pages on screen (100 rows each), so 10,000 conversations scroll
 * as smoothly as ten. Keyboard: j/k move, Enter/o open, / search, g i inbox, ? help. Realtime invalidation of
 * ['conversations'] refetches the visible pages and the counts.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Box, Button, Group, NavLink, Paper, Select, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { Link, NavLink as RouterNavLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { fmtNumber, fmtRelative } from '../../lib/format';
import { useMe } from '../../lib/session';
import { CHANNELS, PAGE_SIZE, PRIORITIES, STATUSES, VIEWS, fetchPage, useCounts, useUsers, type ConversationRow, type ListParams, type View } from './api';
import { ThreatMark } from './ThreatMark';
import { ChannelBadge, PriorityBadge, SlaClock, StatusBadge, replyDue, useNow } from './bits';
import { ShortcutHelp, useShortcuts } from './shortcuts';

const ROW_HEIGHT = 68;
const FILTERS = ['status', 'priority', 'channel', 'assignee', 'tag', 'sort', 'customer'] as const;

function Views({ current, queue }: { current: View; queue?: string }) {
  const { t } = useTranslation('inbox');
  const { data } = useCounts();
  const count = (n: number | undefined) =>
    n === undefined ? null : (
      <Badge size="sm" variant="light" color="gray">
        {fmtNumber(n)}
      </Badge>
    );
  return (
    <Box component="nav" aria-label={t('views.label')} w={{ base: '100%', md: 220 }} style={{ flexShrink: 0 }}>
      {VIEWS.map((v) => (
        <NavLink
          key={v}
          component={RouterNavLink}
          to={`/inbox/${v}`}
          label={t(`views.${v}`)}
          rightSection={count(data?.views[v])}
          active={!queue && current === v}
          color="dark"
          aria-current={!queue && current === v ? 'page' : undefined}
        />
      ))}
      {!!data?.queues.length && (
        <NavLink label={t('views.queues')} defaultOpened childrenOffset={12} component="div" role="group" aria-label={t('views.queues')}>
          {data.queues.map((q) => (
            <NavLink
              key={q.id}
              component={RouterNavLink}
              to={`/inbox/queue-${q.id}`}
              label={q.name}
              rightSection={count(q.open)}
              active={queue === q.id}
              color="dark"
              aria-current={queue === q.id ? 'page' : undefined}
            />
          ))}
        </NavLink>
      )}
    </Box>
  );
}

function Row({ c, index, selected, now, onFocus }: { c: ConversationRow; index: number; selected: boolean; now: number; onFocus: () => void }) {
  const { t } = useTranslation('inbox');
  const due = replyDue(c.sla);
  const solved = c.status === 'solved' || c.status === 'closed';
  return (
    <Link
      id={`conv-row-${index}`}
      to={`/conversations/${c.id}`}
      className="inbox-row"
      data-testid="conversation-row"
      data-number={c.number}
      aria-current={selected ? 'true' : undefined}
      onFocus={onFocus}
      style={{
        display: 'grid',
        gridTemplateColumns: '56px minmax(120px, 1fr) 92px 96px 80px 110px 150px 96px',
        alignItems: 'center',
        gap: 8,
        height: ROW_HEIGHT,
        padding: '0 12px',
        textDecoration: 'none',
        color: 'inherit',
        borderBottom: '1px solid var(--mantine-color-gray-3)',
        background: selected ? 'var(--mantine-color-teal-0)' : undefined,
        boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-teal-7)' : undefined,
      }}
    >
      <Text size="sm" fw={600} c="dimmed">#{c.number}</Text>
      <Box miw={0}>
        <Text size="sm" fw={c.status === 'new' ? 700 : 500} truncate><ThreatMark threat={c.threat} />{c.subject || t('row.noSubject')}</Text>
        <Text size="xs" c="dimmed" truncate>
          {c.customer.name || c.customer.identities[0]?.value || t('row.unknownCustomer')}
          {c.preview ? ` — ${c.preview}` : ''}
        </Text>
      </Box>
      <ChannelBadge channel={c.channel} />
      <StatusBadge status={c.status} />
      <PriorityBadge priority={c.priority} />
      <Text size="xs" truncate>{c.assigneeName ?? t('row.unassigned')}</Text>
      <Box>{due && !solved ? <SlaClock short metric={due.metric} at={due.at} now={now} breached={c.sla.breached.includes(due.metric)} /> : <Text size="xs" c="dimmed">–</Text>}</Box>
      <Text size="xs" c="dimmed" title={c.lastMessageAt}>{fmtRelative(c.lastMessageAt, now)}</Text>
    </Link>
  );
}

export default function InboxPage() {
  const { t } = useTranslation('inbox');
  const { data: me } = useMe();
  const navigate = useNavigate();
  const { view: viewParam } = useParams();
  const [sp, setSp] = useSearchParams();
  const queue = viewParam?.startsWith('queue-') ? viewParam.slice(6) : undefined;
  const view: View = queue ? 'open' : (VIEWS as readonly string[]).includes(viewParam ?? '') ? (viewParam as View) : 'open';
  const params: ListParams = useMemo(
    () => ({
      view: view === 'mine' && !me?.user ? 'open' : view,
      queue,
      q: sp.get('q') ?? undefined,
      ...Object.fromEntries(FILTERS.map((f) => [f, sp.get(f) ?? undefined])),
    }),
    [view, queue, sp, me?.user],
  );
  const { data: counts } = useCounts();
  const users = useUsers();
  const now = useNow();
  const [help, helpCtl] = useDisclosure(false);
  const [search, setSearch] = useState(params.q ?? '');
  const searchRef = useRef<HTMLInputElement>(null);
  const parentRef = useRef<HTMLDivElement>(null);
  const [sel, setSel] = useState(0);

  // Debounced search into the URL (so a search can be linked and survives reloads).
  useEffect(() => {
    const h = setTimeout(() => {
      if ((sp.get('q') ?? '') === search.trim()) return;
      const next = new URLSearchParams(sp);
      if (search.trim()) next.set('q', search.trim());
      else next.delete('q');
      setSp(next, { replace: true });
    }, 300);
    return () => clearTimeout(h);
  }, [search, sp, setSp]);
  useEffect(() => setSel(0), [params]);

  const [total, setTotal] = useState(0);
  const virt = useVirtualizer({ count: total, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const vItems = virt.getVirtualItems();
  const pages = useMemo(() => {
    const s = new Set<number>([0, Math.floor(sel / PAGE_SIZE)]);
    for (const i of vItems) s.add(Math.floor(i.index / PAGE_SIZE));
    return [...s].sort((a, b) => a - b);
  }, [vItems, sel]);
  const results = useQueries({
    queries: pages.map((page) => ({ queryKey: ['conversations', 'list', params, page], queryFn: () => fetchPage(params, page), staleTime: 10_000 })),
  });
  const first = results[0];
  useEffect(() => {
    if (first?.data) setTotal(first.data.total);
  }, [first?.data]);
  const rowAt = (i: number): ConversationRow | undefined => {
    const idx = pages.indexOf(Math.floor(i / PAGE_SIZE));
    return idx < 0 ? undefined : results[idx]?.data?.items[i % PAGE_SIZE];
  };

  // Focus follows the selection once its row is rendered (after scrolling, possibly after its page arrived).
  const pendingFocus = useRef<number | null>(null);
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const el = document.getElementById(`conv-row-${pendingFocus.current}`);
    if (el) {
      el.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });
  const move = (d: number) => {
    if (!total) return;
    // After scrolling with the mouse, j/k continue from what is on screen rather than jumping back.
    const inView = vItems.filter((v) => v.start >= virt.scrollOffset! - 1 && v.end <= (virt.scrollOffset ?? 0) + (virt.scrollRect?.height ?? 0) + 1);
    const from = inView.length && (sel < inView[0].index || sel > inView[inView.length - 1].index) ? (d < 0 ? inView[inView.length - 1].index + 1 : inView[0].index - 1) : sel;
    const n = Math.max(0, Math.min(total - 1, from + d));
    setSel(n);
    pendingFocus.current = n;
    virt.scrollToIndex(n, { align: 'auto' });
  };
  const open = () => {
    const c = rowAt(sel);
    if (c) navigate(`/conversations/${c.id}`);
  };
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: open,
    o: open,
    '/': () => searchRef.current?.focus(),
    '?': helpCtl.open,
    'g i': () => navigate('/inbox'),
  });

  const setFilter = (k: string, v: string | null) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    setSp(next, { replace: true });
  };
  const queueName = counts?.queues.find((q) => q.id === queue)?.name;
  const title = queue ? queueName ?? t('views.queues') : t(`views.${view}`);
  const filtered = FILTERS.some((f) => sp.get(f)) || !!sp.get('q');

  return (
    <Group align="flex-start" gap="md" wrap="nowrap" style={{ minHeight: 0 }}>
      <Views current={view} queue={queue} />
      <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
        <Group justify="space-between">
          <Title order={1} size="h3">{title}</Title>
          <Button variant="subtle" size="xs" onClick={helpCtl.open}>{t('shortcuts.button')}</Button>
        </Group>
        <Paper withBorder p="xs" component="section" aria-label={t('filters.label')}>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <TextInput
              ref={searchRef}
              type="search"
              label={t('filters.search')}
              placeholder={t('filters.searchHint')}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') e.currentTarget.blur();
                if (e.key === 'Enter' || e.key === 'ArrowDown') {
                  e.preventDefault();
                  move(0);
                }
              }}
              w={200}
              size="xs"
            />
            <Select size="xs" w={130} label={t('filters.status')} clearable value={params.status ?? null} onChange={(v) => setFilter('status', v)}
              data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} placeholder={t('filters.any')} />
            <Select size="xs" w={120} label={t('filters.priority')} clearable value={params.priority ?? null} onChange={(v) => setFilter('priority', v)}
              data={PRIORITIES.map((s) => ({ value: s, label: t(`priority.${s}`) }))} placeholder={t('filters.any')} />
            <Select size="xs" w={120} label={t('filters.channel')} clearable value={params.channel ?? null} onChange={(v) => setFilter('channel', v)}
              data={CHANNELS.map((s) => ({ value: s, label: t(`channel.${s}`) }))} placeholder={t('filters.any')} />
            <Select size="xs" w={150} label={t('filters.assignee')} clearable searchable value={params.assignee ?? null} onChange={(v) => setFilter('assignee', v)}
              placeholder={t('filters.any')}
              data={[
                ...(me?.user ? [{ value: 'me', label: t('filters.me') }] : []),
                { value: 'none', label: t('row.unassigned') },
                ...(users.data?.items ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name })),
              ]} />
            <TextInput size="xs" w={110} label={t('filters.tag')} defaultValue={params.tag ?? ''} key={params.tag ?? ''}
              onBlur={(e) => setFilter('tag', e.currentTarget.value.trim() || null)}
              onKeyDown={(e) => e.key === 'Enter' && setFilter('tag', e.currentTarget.value.trim() || null)} />
            <Select size="xs" w={150} label={t('filters.sort')} value={params.sort ?? null} onChange={(v) => setFilter('sort', v)} placeholder={t(view === 'sla_at_risk' ? 'sort.due' : 'sort.activity')}
              data={['activity', 'oldest', 'due', 'priority', 'number'].map((s) => ({ value: s, label: t(`sort.${s}`) }))} />
            {filtered && (
              <Button size="xs" variant="default" onClick={() => { setSearch(''); setSp(new URLSearchParams(), { replace: true }); }}>
                {t('filters.clear')}
              </Button>
            )}
          </Group>
        </Paper>
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="inbox-total">
          {first?.isLoading ? t('list.loading') : t('list.total', { count: total, n: fmtNumber(total) })}
        </Text>
        {first?.isError && <Text c="red" role="alert">{t('list.error')}</Text>}
        <Box
          ref={parentRef}
          role="list"
          aria-label={t('list.label')}
          data-testid="conversation-list"
          style={{ height: 'calc(100vh - 300px)', minHeight: 320, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, contain: 'strict' }}
        >
          {!first?.isLoading && total === 0 ? (
            <Text p="lg" c="dimmed" role="listitem">{t('list.empty')}</Text>
          ) : (
            <div style={{ height: virt.getTotalSize(), position: 'relative', width: '100%' }}>
              {vItems.map((vi) => {
                const c = rowAt(vi.index);
                return (
                  <div key={vi.key} role="listitem" aria-setsize={total} aria-posinset={vi.index + 1} style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: ROW_HEIGHT, transform: `translateY(${vi.start}px)` }}>
                    {c ? (
                      <Row c={c} index={vi.index} selected={vi.index === sel} now={now} onFocus={() => setSel(vi.index)} />
                    ) : (
                      <Box h={ROW_HEIGHT} px="md" style={{ display: 'flex', alignItems: 'center' }}>
                        <Text size="sm" c="dimmed">{t('list.loadingRow')}</Text>
                      </Box>
                    )}
                  </div>
                );
              })}
            </div>
          )}
        </Box>
        <VisuallyHidden>{t('shortcuts.hint')}</VisuallyHidden>
      </Stack>
      <ShortcutHelp opened={help} onClose={helpCtl.close} />
      <style>{`.inbox-row:focus-visible{outline:2px solid var(--mantine-color-teal-7);outline-offset:-2px}.inbox-row:hover{background:var(--mantine-color-gray-0)}`}</style>
    </Group>
  );
}
