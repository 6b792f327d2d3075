/**
 * The inbox: views with counts (mine, unassigned, all open, per queue, SLA at risk, waiting on customer), search,
 * filters and a virtualised list that fetches only the pages on screen (100 rows each), so 10,000 conversations scroll
 * as smoothly as ten. Keyboard: j/k move, Enter/o open, / search, g i inbox, ? help. Realtime invalidation of
 * ['conversations'] refetches the visible pages and the counts.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Box, Button, Checkbox, Drawer, Group, NavLink, Paper, Select, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { Link, NavLink as RouterNavLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, patch, post } from '../../lib/api';
import { fmtNumber, fmtRelative } from '../../lib/format';
import { useCompact } from '../../lib/layout';
import { useMe } from '../../lib/session';
import { CHANNELS, PAGE_SIZE, PRIORITIES, STATUSES, VIEWS, fetchPage, useCounts, useUsers, type ConversationRow, type ListParams, type View } from './api';
import { ThreatMark } from './ThreatMark';
import { ChannelBadge, PriorityBadge, SlaClock, StatusBadge, replyDue, useNow } from './bits';
import { ShortcutHelp, useShortcuts } from './shortcuts';

const ROW_HEIGHT = 68;
/** A row as a card on narrow screens (three lines: subject, who and what, badges). */
const CARD_HEIGHT = 112;
const FILTERS = ['status', 'priority', 'channel', 'assignee', 'tag', 'sort', 'customer'] as const;

function Views({ current, queue, inDrawer, onPick }: { current: View; queue?: string; inDrawer?: boolean; onPick?: () => void }) {
  const { t } = useTranslation('inbox');
  const { data } = useCounts();
  const count = (n: number | undefined) =>
    n === undefined ? null : (
      <Badge size="sm" variant="light" color="gray">
        {fmtNumber(n)}
      </Badge>
    );
  return (
    <Box component="nav" aria-label={t('views.label')} w={inDrawer ? '100%' : 220} style={{ flexShrink: 0 }} onClick={(e) => (e.target as HTMLElement).closest('a') && onPick?.()}>
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

/** "Customer — preview", with the last message's author when it was not the customer ("You:", a colleague's name). */
function PreviewLine({ c, meId }: { c: ConversationRow; meId?: string }) {
  const { t } = useTranslation('inbox');
  const customer = c.customer.name || c.customer.identities[0]?.value || t('row.unknownCustomer');
  const author =
    c.previewAuthorType === 'agent' ? (c.previewAuthorId && c.previewAuthorId === meId ? t('row.you') : c.previewAuthorName || t('message.agent'))
      : c.previewAuthorType === 'system' ? t('message.system') : null;
  return (
    <Text size="xs" c="dimmed" truncate>
      {customer}
      {c.preview ? ` — ${author ? `${author}: ` : ''}${c.preview}` : ''}
    </Text>
  );
}

interface RowProps {
  c: ConversationRow;
  index: number;
  selected: boolean;
  now: number;
  onFocus: () => void;
  card: boolean;
  checked: boolean;
  onCheck: (on: boolean) => void;
  meId?: string;
}

function Row({ c, index, selected, now, onFocus, card, checked, onCheck, meId }: RowProps) {
  const { t } = useTranslation('inbox');
  const due = replyDue(c.sla);
  const solved = c.status === 'solved' || c.status === 'closed';
  const clock = due && !solved ? <SlaClock short metric={due.metric} at={due.at} now={now} breached={c.sla.breached.includes(due.metric)} /> : null;
  const link = {
    id: `conv-row-${index}`,
    to: `/conversations/${c.id}`,
    className: 'inbox-row',
    'data-testid': 'conversation-row',
    'data-number': c.number,
    'aria-current': selected ? ('true' as const) : undefined,
    onFocus,
  };
  const box = {
    height: card ? CARD_HEIGHT : ROW_HEIGHT,
    display: 'flex',
    alignItems: card ? 'flex-start' : 'center',
    borderBottom: '1px solid var(--mantine-color-gray-3)',
    background: checked ? 'var(--mantine-color-blue-0)' : selected ? 'var(--mantine-color-teal-0)' : undefined,
    boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-teal-7)' : undefined,
  };
  const check = (
    <Box pl={card ? 8 : 10} pt={card ? 12 : 0} style={{ flexShrink: 0 }}>
      <Checkbox size="sm" aria-label={t('bulk.select', { n: c.number })} checked={checked} onChange={(e) => onCheck(e.currentTarget.checked)} />
    </Box>
  );
  if (card)
    return (
      <div style={box}>
        {check}
        <Link {...link} style={{ flex: 1, minWidth: 0, height: '100%', padding: '8px 10px', textDecoration: 'none', color: 'inherit', display: 'flex', flexDirection: 'column', gap: 4 }}>
          <Group gap={6} wrap="nowrap" justify="space-between">
            <Text size="sm" fw={c.status === 'new' ? 700 : 600} truncate style={{ minWidth: 0 }}>
              <Text span c="dimmed" inherit>#{c.number}</Text> <ThreatMark threat={c.threat} />{c.subject || t('row.noSubject')}
            </Text>
            <Text size="xs" c="dimmed" title={c.lastMessageAt} style={{ flexShrink: 0 }}>{fmtRelative(c.lastMessageAt, now)}</Text>
          </Group>
          <PreviewLine c={c} meId={meId} />
          <Group gap={4} wrap="nowrap" style={{ overflow: 'hidden' }}>
            <StatusBadge status={c.status} />
            <PriorityBadge priority={c.priority} />
            <ChannelBadge channel={c.channel} />
            {clock}
          </Group>
          <Text size="xs" truncate>{c.assigneeName ?? t('row.unassigned')}</Text>
        </Link>
      </div>
    );
  return (
    <div style={box}>
      {check}
      <Link
        {...link}
        style={{
          flex: 1,
          minWidth: 0,
          display: 'grid',
          gridTemplateColumns: '48px minmax(120px, 1fr) 84px 90px 80px 110px 150px 88px',
          alignItems: 'center',
          gap: 8,
          height: '100%',
          padding: '0 12px',
          textDecoration: 'none',
          color: 'inherit',
        }}
      >
        <Text size="sm" fw={600} c="dimmed">#{c.number}</Text>
        <Box miw={0}>
          <Text size="sm" fw={c.status === 'new' ? 700 : 500} truncate><ThreatMark threat={c.threat} />{c.subject || t('row.noSubject')}</Text>
          <PreviewLine c={c} meId={meId} />
        </Box>
        <ChannelBadge channel={c.channel} />
        <StatusBadge status={c.status} />
        <PriorityBadge priority={c.priority} />
        <Text size="xs" truncate>{c.assigneeName ?? t('row.unassigned')}</Text>
        <Box>{clock ?? <Text size="xs" c="dimmed">–</Text>}</Box>
        <Text size="xs" c="dimmed" title={c.lastMessageAt}>{fmtRelative(c.lastMessageAt, now)}</Text>
      </Link>
    </div>
  );
}

/**
 * Actions on the selected conversations: assign, solve, close, add a tag. Each runs the conversation's own endpoint
 * (the same checks, events, audit and webhooks as one at a time); what failed is listed with its number.
 */
function BulkBar({ selected, onClear }: { selected: Map<string, number>; onClear: () => void }) {
  const { t } = useTranslation('inbox');
  const qc = useQueryClient();
  const users = useUsers();
  const { data: me } = useMe();
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: number; count: number; failed: string[] } | null>(null);
  const run = async (fn: (id: string) => Promise<unknown>) => {
    const ids = [...selected.keys()];
    setBusy(true);
    setResult(null);
    const res = await Promise.allSettled(ids.map(fn));
    const failed = res.flatMap((r, i) =>
      r.status === 'rejected' ? [`#${selected.get(ids[i])} (${r.reason instanceof ApiError ? r.reason.detail ?? r.reason.message : t('error.generic')})`] : []);
    setResult({ ok: ids.length - failed.length, count: ids.length, failed });
    setBusy(false);
    await qc.invalidateQueries({ queryKey: ['conversations'] });
    for (const id of ids) void qc.invalidateQueries({ queryKey: ['conversation', id] });
  };
  return (
    <Paper withBorder p="xs" component="section" aria-label={t('bulk.label')} bg="blue.0">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Text size="sm" fw={600} aria-live="polite" style={{ alignSelf: 'center' }}>{t('bulk.selected', { count: selected.size })}</Text>
        <Select size="xs" w={170} label={t('bulk.assign')} searchable value={null} disabled={busy}
          data={[
            ...(me?.user ? [{ value: me.user.id, label: t('filters.me') }] : []),
            ...(users.data?.items ?? []).filter((u) => !u.disabled && u.id !== me?.user?.id).map((u) => ({ value: u.id, label: u.name })),
          ]}
          onChange={(v) => v && void run((id) => post(`/conversations/${id}/assign`, { assigneeId: v }))} />
        <Button size="xs" disabled={busy} onClick={() => void run((id) => patch(`/conversations/${id}`, { status: 'solved' }))}>{t('bulk.solve')}</Button>
        <Button size="xs" variant="default" disabled={busy} onClick={() => void run((id) => patch(`/conversations/${id}`, { status: 'closed' }))}>{t('bulk.close')}</Button>
        <Group gap={4} align="flex-end" wrap="nowrap">
          <TextInput size="xs" w={130} label={t('bulk.tag')} value={tag} onChange={(e) => setTag(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && tag.trim() && void run((id) => post(`/conversations/${id}/tags`, { add: [tag.trim()] }))} />
          <Button size="xs" variant="default" disabled={busy || !tag.trim()} onClick={() => void run((id) => post(`/conversations/${id}/tags`, { add: [tag.trim()] }))}>
            {t('bulk.addTag')}
          </Button>
        </Group>
        <Button size="xs" variant="subtle" onClick={onClear}>{t('bulk.clear')}</Button>
      </Group>
      {result && <Text size="xs" mt={4} c={result.failed.length ? 'red.8' : 'teal.9'}>{t('bulk.done', { ok: result.ok, count: result.count })}</Text>}
      {!!result?.failed.length && <Alert mt={4} color="red" role="alert">{t('bulk.failed', { list: result.failed.join(', ') })}</Alert>}
    </Paper>
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
  const compact = useCompact();
  const rowHeight = compact ? CARD_HEIGHT : ROW_HEIGHT;
  const [viewsOpen, viewsCtl] = useDisclosure(false);
  const [sheetOpen, sheetCtl] = useDisclosure(false);
  // The selection for bulk actions: id → number (for naming what failed).
  const [checked, setChecked] = useState<Map<string, number>>(new Map());
  const check = (c: ConversationRow, on: boolean) =>
    setChecked((m) => {
      const n = new Map(m);
      if (on) n.set(c.id, c.number);
      else n.delete(c.id);
      return n;
    });

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
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters changing is the trigger; the effect resets the selection.
  useEffect(() => {
    setSel(0);
    setChecked(new Map());
  }, [params]);

  const [total, setTotal] = useState(0);
  const virt = useVirtualizer({ count: total, getScrollElement: () => parentRef.current, estimateSize: () => rowHeight, overscan: 8 });
  // Rows and cards differ in height: measure again when the layout switches (only then; `virt` is a new object per render).
  const measure = useRef(virt.measure);
  measure.current = () => virt.measure();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the row height changing is the trigger (see above).
  useEffect(() => measure.current(), [rowHeight]);
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
    // biome-ignore lint/correctness/noComponentHookFactories: a key name in the shortcut map, not a component.
    ArrowDown: () => move(1),
    // biome-ignore lint/correctness/noComponentHookFactories: as above.
    ArrowUp: () => move(-1),
    Enter: open,
    o: open,
    '/': () => searchRef.current?.focus(),
    x: () => {
      const c = rowAt(sel);
      if (c) check(c, !checked.has(c.id));
    },
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

  const searchField = (
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
              w={compact ? '100%' : 200}
              size="xs"
            />
  );
  const activeFilters = FILTERS.filter((f) => f !== 'sort' && sp.get(f)).length;
  const filterFields = (full: boolean) => (
    <>
            <Select size="xs" w={full ? '100%' : 130} label={t('filters.status')} clearable value={params.status ?? null} onChange={(v) => setFilter('status', v)}
              data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} placeholder={t('filters.any')} />
            <Select size="xs" w={full ? '100%' : 120} label={t('filters.priority')} clearable value={params.priority ?? null} onChange={(v) => setFilter('priority', v)}
              data={PRIORITIES.map((s) => ({ value: s, label: t(`priority.${s}`) }))} placeholder={t('filters.any')} />
            <Select size="xs" w={full ? '100%' : 120} label={t('filters.channel')} clearable value={params.channel ?? null} onChange={(v) => setFilter('channel', v)}
              data={CHANNELS.map((s) => ({ value: s, label: t(`channel.${s}`) }))} placeholder={t('filters.any')} />
            <Select size="xs" w={full ? '100%' : 150} label={t('filters.assignee')} clearable searchable value={params.assignee ?? null} onChange={(v) => setFilter('assignee', v)}
              placeholder={t('filters.any')}
              data={[
                ...(me?.user ? [{ value: 'me', label: t('filters.me') }] : []),
                { value: 'none', label: t('row.unassigned') },
                ...(users.data?.items ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name })),
              ]} />
            <TextInput size="xs" w={full ? '100%' : 110} label={t('filters.tag')} defaultValue={params.tag ?? ''} key={params.tag ?? ''}
              onBlur={(e) => setFilter('tag', e.currentTarget.value.trim() || null)}
              onKeyDown={(e) => e.key === 'Enter' && setFilter('tag', e.currentTarget.value.trim() || null)} />
            <Select size="xs" w={full ? '100%' : 150} label={t('filters.sort')} value={params.sort ?? null} onChange={(v) => setFilter('sort', v)} placeholder={t(view === 'sla_at_risk' ? 'sort.due' : 'sort.activity')}
              data={['activity', 'oldest', 'due', 'priority', 'number'].map((s) => ({ value: s, label: t(`sort.${s}`) }))} />
            {filtered && (
              <Button size="xs" variant="default" onClick={() => { setSearch(''); setSp(new URLSearchParams(), { replace: true }); }}>
                {t('filters.clear')}
              </Button>
            )}
    </>
  );

  return (
    <Group align="flex-start" gap="md" wrap="nowrap" style={{ minHeight: 0 }}>
      {compact ? (
        <Drawer opened={viewsOpen} onClose={viewsCtl.close} title={t('views.label')} size={300} closeButtonProps={{ 'aria-label': t('actions.close') }}>
          <Views current={view} queue={queue} inDrawer onPick={viewsCtl.close} />
        </Drawer>
      ) : (
        <Views current={view} queue={queue} />
      )}
      <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
        <Group justify="space-between" wrap="nowrap">
          <Title order={1} size="h3" style={{ minWidth: 0, overflowWrap: 'break-word' }}>{title}</Title>
          {compact ? (
            <Button variant="default" size="xs" onClick={viewsCtl.open} style={{ flexShrink: 0 }} aria-haspopup="dialog">{t('views.button')}</Button>
          ) : (
            <Button variant="subtle" size="xs" onClick={helpCtl.open}>{t('shortcuts.button')}</Button>
          )}
        </Group>
        {compact ? (
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <Box style={{ flex: 1, minWidth: 0 }}>{searchField}</Box>
            <Button size="xs" variant={activeFilters ? 'filled' : 'default'} onClick={sheetCtl.open} aria-haspopup="dialog">
              {activeFilters ? t('filters.buttonCount', { count: activeFilters }) : t('filters.button')}
            </Button>
          </Group>
        ) : (
          <Paper withBorder p="xs" component="section" aria-label={t('filters.label')}>
            <Group gap="xs" align="flex-end" wrap="wrap">
              {searchField}
              {filterFields(false)}
            </Group>
          </Paper>
        )}
        {compact && (
          <Drawer opened={sheetOpen} onClose={sheetCtl.close} position="bottom" size="auto" title={t('filters.sheet')} closeButtonProps={{ 'aria-label': t('actions.close') }}>
            <Stack gap="sm" pb="md">
              {filterFields(true)}
              <Button onClick={sheetCtl.close}>{t('filters.show')}</Button>
            </Stack>
          </Drawer>
        )}
        {checked.size > 0 && <BulkBar selected={checked} onClear={() => setChecked(new Map())} />}
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="inbox-total">
          {first?.isLoading ? t('list.loading') : t('list.total', { count: total, n: fmtNumber(total) })}
        </Text>
        {first?.isError && <Text c="red" role="alert">{t('list.error')}</Text>}
        <Box
          ref={parentRef}
          role="list"
          aria-label={t('list.label')}
          data-testid="conversation-list"
          style={{ height: compact ? 'calc(100dvh - 210px)' : 'calc(100vh - 300px)', minHeight: 320, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, contain: 'strict' }}
        >
          {!first?.isLoading && total === 0 ? (
            <Text p="lg" c="dimmed" role="listitem">{t('list.empty')}</Text>
          ) : (
            <div style={{ height: virt.getTotalSize(), position: 'relative', width: '100%' }}>
              {vItems.map((vi) => {
                const c = rowAt(vi.index);
                return (
                  // biome-ignore lint/a11y/useSemanticElements: virtualised rows are absolutely placed divs in a role="list" box; an <li> needs a <ul> and its styles reset.
                  <div key={vi.key} role="listitem" aria-setsize={total} aria-posinset={vi.index + 1} style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: rowHeight, transform: `translateY(${vi.start}px)` }}>
                    {c ? (
                      <Row c={c} index={vi.index} selected={vi.index === sel} now={now} onFocus={() => setSel(vi.index)} card={compact}
                        checked={checked.has(c.id)} onCheck={(on) => check(c, on)} meId={me?.user?.id} />
                    ) : (
                      <Box h={rowHeight} px="md" style={{ display: 'flex', alignItems: 'center' }}>
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
