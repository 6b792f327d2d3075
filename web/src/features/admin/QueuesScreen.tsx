/** Queues: time zone, business hours (weekly spans, holidays), assignment, SLA policy, team, callback policy. */
import { useState } from 'react';
import { ActionIcon, Button, Fieldset, Group, NumberInput, Select, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../lib/api';
import { QUEUES_KEY, useQueues, type BusinessHours, type Queue } from '../../api/queues';
import { useTeams } from './TeamsScreen';
import { useSlaPolicies } from './SlaScreen';
import { ActionsCell, AdminModal, AdminTable, EditModal, ModalForm, ReadOnlyNote, RowButton, ScreenHeader, useFieldErrors, useRole, useSave } from './ui';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
type Span = [string, string];

/**
 * The IANA zones the browser knows, with UTC first: Chromium's list leaves out "UTC" (and a browser in UTC reports that
 * as its own zone), so without it the field showed blank while "UTC" was sent.
 */
export const ZONES: string[] = (() => {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = ['Europe/Berlin', 'Europe/Oslo', 'Europe/London'];
  }
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
})();

/** The zone list for a select that must show `current` even when the browser's list does not hold it (Etc/GMT+1 …). */
export const zonesWith = (current: string | null | undefined) => (current && !ZONES.includes(current) ? [current, ...ZONES] : ZONES);

/** "Mon–Fri 09:00–17:00"-style summary, in the chosen language's weekday names. */
function useHoursSummary() {
  const { t } = useTranslation('admin');
  return (bh: BusinessHours | null) => {
    if (!bh) return t('queues.always');
    // Consecutive days with the same hours form one run: "Mon–Fri 08:00–18:00; Sat 10:00–14:00".
    const key = (d: Day) => (bh.week[d] ?? []).map(([a, b]) => `${a}–${b}`).join(', ');
    const parts: string[] = [];
    for (let i = 0; i < DAYS.length; ) {
      let j = i;
      while (j + 1 < DAYS.length && key(DAYS[j + 1]) === key(DAYS[i])) j++;
      if (key(DAYS[i])) parts.push(`${t(`days.${DAYS[i]}`)}${j > i ? `–${t(`days.${DAYS[j]}`)}` : ''} ${key(DAYS[i])}`);
      i = j + 1;
    }
    const s = parts.join('; ') || t('queues.neverOpen');
    return bh.holidays?.length ? `${s} (${t('queues.holidayCount', { count: bh.holidays.length })})` : s;
  };
}

function WeekEditor({ week, setWeek, error }: { week: Partial<Record<Day, Span[]>>; setWeek: (w: Partial<Record<Day, Span[]>>) => void; error?: string }) {
  const { t } = useTranslation('admin');
  const setDay = (d: Day, spans: Span[]) => setWeek({ ...week, [d]: spans });
  return (
    <Fieldset legend={t('queues.week')}>
      <Stack gap="xs">
        {DAYS.map((d) => {
          const spans = week[d] ?? [];
          const dayName = t(`daysLong.${d}`);
          return (
            <Group key={d} gap="xs" align="center" wrap="wrap">
              <Text w={90} size="sm" fw={500} id={`day-${d}`}>{dayName}</Text>
              {!spans.length && <Text size="sm" c="dimmed">{t('queues.closed')}</Text>}
              {spans.map(([a, b], i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: spans have no id; each is labelled and edited by its position ("opens at, span n")
                <Group key={i} gap={4} wrap="nowrap">
                  <TextInput
                    type="time"
                    size="xs"
                    aria-label={t('queues.opensAt', { day: dayName, n: i + 1 })}
                    value={a}
                    onChange={(e) => setDay(d, spans.map((s, j) => (j === i ? [e.currentTarget.value, s[1]] : s)))}
                  />
                  <Text size="sm" aria-hidden>–</Text>
                  <TextInput
                    type="time"
                    size="xs"
                    aria-label={t('queues.closesAt', { day: dayName, n: i + 1 })}
                    value={b}
                    onChange={(e) => setDay(d, spans.map((s, j) => (j === i ? [s[0], e.currentTarget.value] : s)))}
                  />
                  <ActionIcon variant="subtle" color="red" aria-label={t('queues.removeSpan', { day: dayName, n: i + 1 })} onClick={() => setDay(d, spans.filter((_, j) => j !== i))}>
                    <span aria-hidden>×</span>
                  </ActionIcon>
                </Group>
              ))}
              <Button
                size="compact-xs"
                variant="subtle"
                aria-label={t('queues.addSpanFor', { day: dayName })}
                onClick={() => setDay(d, [...spans, spans.length ? [spans[spans.length - 1][1], '23:59'] : ['09:00', '17:00']])}
              >
                {t('queues.addSpan')}
              </Button>
            </Group>
          );
        })}
        {error && <Text size="sm" c="red" role="alert">{error}</Text>}
      </Stack>
    </Fieldset>
  );
}

function QueueForm({ queue, onClose }: { queue: Queue | null; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const teams = useTeams();
  const sla = useSlaPolicies();
  const [name, setName] = useState(queue?.name ?? '');
  const [timezone, setTimezone] = useState(queue?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const [assignment, setAssignment] = useState<string>(queue?.assignment ?? 'manual');
  const [teamId, setTeamId] = useState<string | null>(queue?.teamId || null);
  const [slaPolicyId, setSlaPolicyId] = useState<string | null>(queue?.slaPolicyId || null);
  const [hasHours, setHasHours] = useState(!!queue?.businessHours);
  const [week, setWeek] = useState<Partial<Record<Day, Span[]>>>(
    queue?.businessHours?.week ?? Object.fromEntries(DAYS.slice(0, 5).map((d) => [d, [['09:00', '17:00']] as Span[]])),
  );
  const [holidays, setHolidays] = useState<string[]>(queue?.businessHours?.holidays ?? []);
  const save = useSave(
    () => {
      // An empty select is null (no team, no SLA), never "": the API wants an id or null.
      const body = {
        name,
        timezone,
        assignment,
        teamId: teamId || null,
        slaPolicyId: slaPolicyId || null,
        businessHours: hasHours
          ? {
              week: Object.fromEntries(Object.entries(week).filter(([, s]) => s?.length)),
              // Left out when there are none and there were none, so saving unchanged changes nothing.
              ...(holidays.length || queue?.businessHours?.holidays ? { holidays } : {}),
            }
          : null,
      };
      return queue ? patch(`/queues/${queue.id}`, body) : post('/queues', body);
    },
    [QUEUES_KEY],
    onClose,
  );
  const { fe, rest } = useFieldErrors(save.error, ['name', 'timezone', 'assignment', 'teamId', 'slaPolicyId', 'businessHours/holidays', 'businessHours']);
  return (
    <ModalForm save={save} error={rest} submitLabel={queue ? t('common.save') : t('queues.add')} onClose={onClose}>
      <TextInput label={t('queues.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} required data-autofocus />
      <Select label={t('queues.timezone')} description={t('queues.timezoneHelp')} searchable value={timezone} onChange={(v) => v && setTimezone(v)} allowDeselect={false} data={zonesWith(timezone)} error={fe('timezone')} />
      <Select
        label={t('queues.assignment')}
        value={assignment}
        onChange={(v) => v && setAssignment(v)}
        allowDeselect={false}
        data={['manual', 'round_robin', 'load'].map((a) => ({ value: a, label: t(`assignment.${a}`) }))}
        error={fe('assignment')}
      />
      <Select label={t('queues.team')} clearable placeholder={t('queues.anyone')} value={teamId} onChange={setTeamId} data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} error={fe('teamId')} />
      <Select label={t('queues.sla')} clearable placeholder={t('queues.noSla')} value={slaPolicyId} onChange={setSlaPolicyId} data={(sla.data ?? []).map((x) => ({ value: x.id, label: x.name }))} error={fe('slaPolicyId')} />
      <Switch label={t('queues.hasHours')} checked={hasHours} onChange={(e) => setHasHours(e.currentTarget.checked)} />
      {hasHours && (
        <>
          <WeekEditor week={week} setWeek={setWeek} error={fe('businessHours')} />
          <TagsInput
            label={t('queues.holidays')}
            description={t('queues.holidaysHelp')}
            value={holidays}
            onChange={setHolidays}
            placeholder="2026-12-24"
            error={fe('businessHours/holidays')}
          />
        </>
      )}
    </ModalForm>
  );
}

function CallbackForm({ queue, onClose }: { queue: Queue; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [slaMinutes, setSla] = useState<number | string>(queue.callbackSlaMinutes ?? 60);
  const [maxAttempts, setMax] = useState<number | string>(queue.callbackMaxAttempts ?? 3);
  const save = useSave(() => patch(`/queues/${queue.id}/callback-policy`, { slaMinutes: Number(slaMinutes), maxAttempts: Number(maxAttempts) }), [QUEUES_KEY], onClose);
  const { fe, rest } = useFieldErrors(save.error, ['slaMinutes', 'maxAttempts']);
  return (
    <ModalForm save={save} error={rest} submitLabel={t('common.save')} onClose={onClose}>
      <Text size="sm" c="dimmed">{t('queues.callbackIntro')}</Text>
      <NumberInput label={t('queues.callbackSla')} value={slaMinutes} onChange={setSla} min={1} max={100000} allowDecimal={false} error={fe('slaMinutes')} data-autofocus />
      <NumberInput label={t('queues.callbackAttempts')} value={maxAttempts} onChange={setMax} min={1} max={100} allowDecimal={false} error={fe('maxAttempts')} />
    </ModalForm>
  );
}

export function QueuesScreen() {
  const { t } = useTranslation('admin');
  const { manage } = useRole();
  const queues = useQueues();
  const teams = useTeams();
  const sla = useSlaPolicies();
  const summary = useHoursSummary();
  const teamName = new Map((teams.data ?? []).map((x) => [x.id, x.name]));
  const slaName = new Map((sla.data ?? []).map((x) => [x.id, x.name]));
  const [editing, setEditing] = useState<Queue | null | 'new'>(null);
  const [callback, setCallback] = useState<Queue | null>(null);
  return (
    <>
      <ScreenHeader title={t('nav.queues')} description={t('queues.intro')} action={manage && <Button onClick={() => setEditing('new')}>{t('queues.add')}</Button>} />
      <ReadOnlyNote cap="manage" />
      <AdminTable
        label={t('queues.table')}
        items={queues.data?.items}
        query={queues}
        minWidth={800}
        columns={[t('queues.name'), t('queues.timezone'), t('queues.hours'), t('queues.assignment'), t('queues.team'), t('queues.sla'), t('queues.callbacks'), manage && t('common.actions')]}
        row={(q) => (
          <>
            <Table.Td>{q.name}</Table.Td>
            <Table.Td>{q.timezone}</Table.Td>
            <Table.Td>{summary(q.businessHours)}</Table.Td>
            <Table.Td>{t(`assignment.${q.assignment}`)}</Table.Td>
            <Table.Td>{(q.teamId && teamName.get(q.teamId)) || t('queues.anyone')}</Table.Td>
            <Table.Td>{(q.slaPolicyId && slaName.get(q.slaPolicyId)) || '–'}</Table.Td>
            <Table.Td>{q.callbackSlaMinutes ? t('queues.callbackSummary', { minutes: q.callbackSlaMinutes, attempts: q.callbackMaxAttempts }) : '–'}</Table.Td>
            {manage && (
              <ActionsCell>
                <RowButton label={t('common.edit')} what={q.name} onClick={() => setEditing(q)} />
                <RowButton label={t('queues.callbackPolicy')} what={q.name} onClick={() => setCallback(q)} />
              </ActionsCell>
            )}
          </>
        )}
      />
      <EditModal size="xl" editing={editing} setEditing={setEditing} addTitle={t('queues.add')} editTitle={t('queues.edit')} form={(queue, close) => <QueueForm queue={queue} onClose={close} />} />
      <AdminModal opened={callback !== null} onClose={() => setCallback(null)} title={t('queues.callbackPolicy')}>
        {callback && <CallbackForm queue={callback} onClose={() => setCallback(null)} />}
      </AdminModal>
    </>
  );
}
