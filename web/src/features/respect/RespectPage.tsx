/**
 * The respect screen (issue 7): flagged customer messages (listening), proposals awaiting my approval (four-eyes),
 * measures in force, appeals to decide (a third person), and the report per reason and kind so retaliation would
 * be visible.
 */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, post } from '../../lib/api';
import { fmtDateTime, fmtNumber } from '../../lib/format';
import { can, useMe } from '../../lib/session';
import { useAppeals, useFlags, useMeasures, useReport, type Flag, type Measure } from './api';
import { EvidenceList } from './bits';
import { ProposeDialog } from './ProposeDialog';
import { RespectSettings } from './Settings';
import { ScrollX } from '../../lib/ScrollX';

/** POSTs an action and shows its error (four-eyes refusals are expected answers, not crashes). */
function useAction() {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, path: string, body: unknown = {}) => {
    setBusy(key);
    setError(null);
    try {
      await post(path, body);
      await qc.invalidateQueries({ queryKey: ['respect'] });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  return { run, error, busy };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={3} size="h4" mb="sm">{title}</Title>
      {children}
    </Paper>
  );
}

function Awaiting() {
  const { t } = useTranslation('respect');
  const q = useMeasures({ awaiting: 'me' });
  const a = useAction();
  if (q.isLoading) return <Loader size="sm" />;
  const items = q.data ?? [];
  if (!items.length) return <Text size="sm">{t('awaiting.none')}</Text>;
  return (
    <Stack gap="sm">
      {a.error && <Alert color="red" role="alert">{a.error}</Alert>}
      {items.map((m) => (
        <Paper key={m.id} withBorder p="sm" data-testid="awaiting-measure">
          <Group justify="space-between" align="flex-start">
            <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
              <Text fw={600}>{t('awaiting.line', { kind: t(`kinds.${m.kind}`), customer: m.customerName ?? '—', reason: t(`reasons.${m.reasonCategory}`), days: m.durationDays })}</Text>
              <Text size="sm" c="dimmed">{t('awaiting.by', { name: m.reporterName ?? '—', at: fmtDateTime(m.createdAt) })}</Text>
              {m.reasonText && <Text size="sm">{m.reasonText}</Text>}
              <EvidenceList evidence={m.evidence} />
            </Stack>
            <Group gap="xs">
              <Button size="xs" color="red.9" loading={a.busy === `${m.id}a`} onClick={() => a.run(`${m.id}a`, `/respect/measures/${m.id}/approve`)}>{t('approve')}</Button>
              <Button size="xs" variant="default" loading={a.busy === `${m.id}r`} onClick={() => a.run(`${m.id}r`, `/respect/measures/${m.id}/reject`)}>{t('reject')}</Button>
            </Group>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

function Active({ manage }: { manage: boolean }) {
  const { t } = useTranslation('respect');
  const q = useMeasures({ status: 'active' });
  const a = useAction();
  if (q.isLoading) return <Loader size="sm" />;
  const items = q.data ?? [];
  if (!items.length) return <Text size="sm">{t('active.none')}</Text>;
  return (
    <>
      {a.error && <Alert color="red" role="alert" mb="sm">{a.error}</Alert>}
      <div style={{ overflowX: 'auto' }}>
        <ScrollX label={t('active.title')}>
          <Table aria-label={t('active.title')} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('customer')}</Table.Th>
                <Table.Th scope="col">{t('kind')}</Table.Th>
                <Table.Th scope="col">{t('reason')}</Table.Th>
                <Table.Th scope="col">{t('until')}</Table.Th>
                <Table.Th scope="col">{t('reporter')}</Table.Th>
                <Table.Th scope="col">{t('approver')}</Table.Th>
                <Table.Th scope="col">{t('conversation')}</Table.Th>
                {manage && <Table.Th scope="col"><VisuallyHidden>{t('actions')}</VisuallyHidden></Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m: Measure) => (
                <Table.Tr key={m.id} data-testid="active-measure">
                  <Table.Td>{m.customerName ?? '—'}</Table.Td>
                  <Table.Td>{t(`kinds.${m.kind}`)}{m.kind === 'restriction' && m.channels ? ` (${m.channels.map((c) => t(`channels.${c}`)).join(', ')})` : ''}</Table.Td>
                  <Table.Td>{t(`reasons.${m.reasonCategory}`)}</Table.Td>
                  <Table.Td>{fmtDateTime(m.until)}</Table.Td>
                  <Table.Td>{m.reporterName ?? '—'}</Table.Td>
                  <Table.Td>{m.decidedByName ?? t('noApprovalNeeded')}</Table.Td>
                  <Table.Td>{m.conversationId ? <Anchor component={Link} to={`/conversations/${m.conversationId}`}>#{m.conversationNumber}</Anchor> : '—'}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Button size="xs" variant="default" loading={a.busy === m.id} onClick={() => a.run(m.id, `/respect/measures/${m.id}/revoke`)}
                        aria-label={t('revokeFor', { customer: m.customerName ?? '' })}>{t('revoke')}</Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      </div>
    </>
  );
}

function Appeals() {
  const { t } = useTranslation('respect');
  const q = useAppeals(true);
  const a = useAction();
  if (q.isLoading) return <Loader size="sm" />;
  const items = q.data ?? [];
  if (!items.length) return <Text size="sm">{t('appeals.none')}</Text>;
  return (
    <Stack gap="sm">
      {a.error && <Alert color="red" role="alert">{a.error}</Alert>}
      {items.map((x) => (
        <Paper key={x.id} withBorder p="sm" data-testid="open-appeal">
          <Text fw={600}>{t('appeals.line', { customer: x.customerName ?? '—', kind: t(`kinds.${x.kind}`), reason: t(`reasons.${x.reasonCategory}`) })}</Text>
          <Text size="sm" c="dimmed">{t(`appeals.source.${x.source}`)} · {fmtDateTime(x.createdAt)}</Text>
          <Text size="sm" my="xs" style={{ whiteSpace: 'pre-wrap' }}>{x.text}</Text>
          <Group gap="xs">
            <Button size="xs" color="teal.9" loading={a.busy === `${x.id}o`} onClick={() => a.run(`${x.id}o`, `/respect/appeals/${x.id}/decide`, { outcome: 'overturn' })}>{t('appeals.overturn')}</Button>
            <Button size="xs" variant="default" loading={a.busy === `${x.id}u`} onClick={() => a.run(`${x.id}u`, `/respect/appeals/${x.id}/decide`, { outcome: 'uphold' })}>{t('appeals.uphold')}</Button>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

function Flags() {
  const { t } = useTranslation('respect');
  const q = useFlags(true);
  const [open, setOpen] = useState<Flag | null>(null);
  if (q.isLoading) return <Loader size="sm" />;
  const items = (q.data ?? []).filter((f) => f.customerId);
  if (!items.length) return <Text size="sm">{t('flags.none')}</Text>;
  return (
    <>
      <div style={{ overflowX: 'auto' }}>
        <ScrollX label={t('flags.title')}>
          <Table aria-label={t('flags.title')} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('flags.at')}</Table.Th>
                <Table.Th scope="col">{t('flags.finding')}</Table.Th>
                <Table.Th scope="col">{t('flags.text')}</Table.Th>
                <Table.Th scope="col">{t('conversation')}</Table.Th>
                <Table.Th scope="col"><VisuallyHidden>{t('actions')}</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((f) => (
                <Table.Tr key={f.messageId}>
                  <Table.Td>{fmtDateTime(f.messageAt)}</Table.Td>
                  <Table.Td><Badge size="sm" variant="outline" color="red.9" tt="none">{t(`classes.${f.threat ? 'threat' : 'abuse'}`)}</Badge></Table.Td>
                  <Table.Td style={{ maxWidth: 420, overflowWrap: 'anywhere' }}>{f.text}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`/conversations/${f.conversationId}`}>#{f.conversationNumber}</Anchor></Table.Td>
                  <Table.Td><Button size="xs" variant="default" onClick={() => setOpen(f)}>{t('reportAbuse')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      </div>
      {open && (
        <ProposeDialog opened onClose={() => setOpen(null)} customerId={open.customerId!} conversationId={open.conversationId}
          candidates={[{ id: open.messageId, text: open.text }]} preselected={[open.messageId]} />
      )}
    </>
  );
}

function ReportView() {
  const { t } = useTranslation('respect');
  const q = useReport(true);
  if (q.isLoading) return <Loader size="sm" />;
  const r = q.data;
  if (!r) return null;
  const reasons = [...new Set(r.byReasonAndKind.map((x) => x.reasonCategory))];
  const kinds = ['warning', 'cool_off', 'restriction', 'ban'] as const;
  const cell = (reason: string, kind: string) => r.byReasonAndKind.find((x) => x.reasonCategory === reason && x.kind === kind)?.n ?? 0;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label={t('report.refused')} value={r.refusedAsCriticism} />
        <Figure label={t('report.appealsOpen')} value={r.appeals.open} />
        <Figure label={t('report.overturned')} value={r.appeals.overturned} />
        <Figure label={t('report.upheld')} value={r.appeals.upheld} />
      </SimpleGrid>
      <div style={{ overflowX: 'auto' }}>
        <ScrollX label={t('report.byReason')}>
          <Table aria-label={t('report.byReason')} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reason')}</Table.Th>
                {kinds.map((k) => <Table.Th key={k} scope="col" ta="right">{t(`kinds.${k}`)}</Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reasons.length === 0 && <Table.Tr><Table.Td colSpan={5}>{t('report.empty')}</Table.Td></Table.Tr>}
              {reasons.map((reason) => (
                <Table.Tr key={reason}>
                  <Table.Th scope="row">{t(`reasons.${reason}`)}</Table.Th>
                  {kinds.map((k) => <Table.Td key={k} ta="right">{fmtNumber(cell(reason, k))}</Table.Td>)}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      </div>
      <Group gap="lg" align="flex-start">
        <ScrollX label={t('report.byStatus')}>
          <Table aria-label={t('report.byStatus')} fz="sm" w="auto">
            <Table.Thead><Table.Tr><Table.Th scope="col">{t('status')}</Table.Th><Table.Th scope="col" ta="right">{t('report.count')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {r.byStatus.map((s) => <Table.Tr key={s.status}><Table.Th scope="row">{t(`statuses.${s.status}`)}</Table.Th><Table.Td ta="right">{fmtNumber(s.n)}</Table.Td></Table.Tr>)}
            </Table.Tbody>
          </Table>
        </ScrollX>
        <ScrollX label={t('report.byReporter')}>
          <Table aria-label={t('report.byReporter')} fz="sm" w="auto">
            <Table.Thead><Table.Tr><Table.Th scope="col">{t('reporter')}</Table.Th><Table.Th scope="col" ta="right">{t('report.count')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {r.byReporter.map((s) => <Table.Tr key={s.reporterId}><Table.Th scope="row">{s.name ?? '—'}</Table.Th><Table.Td ta="right">{fmtNumber(s.n)}</Table.Td></Table.Tr>)}
            </Table.Tbody>
          </Table>
        </ScrollX>
      </Group>
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="sm">
      <Text size="sm">{label}</Text>
      <Text fz="xl" fw={700}>{fmtNumber(value)}</Text>
    </Paper>
  );
}

export default function RespectPage() {
  const { t } = useTranslation('respect');
  const me = useMe().data;
  // Times are shown in the viewer's own time zone (the browser's), like everywhere in the app.
  const decider = can(me?.role, 'manage') || can(me?.role, 'reports');
  const manage = can(me?.role, 'manage');
  return (
    <Stack gap="md" p="md">
      <Title order={2}>{t('title')}</Title>
      <Text size="sm">{t('intro')}</Text>
      {decider && <Section title={t('awaiting.title')}><Awaiting /></Section>}
      {manage && <Section title={t('flags.title')}><Flags /></Section>}
      <Section title={t('active.title')}><Active manage={manage} /></Section>
      {decider && <Section title={t('appeals.title')}><Appeals /></Section>}
      {can(me?.role, 'reports') && <Section title={t('report.title')}><ReportView /></Section>}
      {manage && <Section title={t('settings.title')}><RespectSettings /></Section>}
    </Stack>
  );
}
