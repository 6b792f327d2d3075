/**
 * Service with heart: goodwill (my and my team's budget with what remains, pending approvals for supervisors, recent
 * spends), documented exceptions, the moments feed with kudos, and the monthly report.
 */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Modal, NumberInput, Paper, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { put } from '../../lib/api';
import { can, useMe } from '../../lib/session';
import { fmtDateTime } from '../../lib/format';
import {
  decide, kudos, money, saveSettings, toMinor, useExceptions, useFeed, useHeartMutation, useReport, useSettings, useSpends,
  type FeedMoment, type Report, type Spend, type Standing,
} from './api';
import { ScrollX } from '../../lib/ScrollX';

const TABS = ['goodwill', 'exceptions', 'moments', 'report'] as const;

function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function useMoney() {
  const { i18n } = useTranslation();
  return (minor: number, currency: string) => money(minor, currency, i18n.language);
}

function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation('heart');
  if (!error) return null;
  return <Alert color="red" role="alert">{(error as Error).message || t('error')}</Alert>;
}

export default function HeartPage() {
  const { t } = useTranslation('heart');
  const { '*': rest } = useParams();
  const navigate = useNavigate();
  const tab = (TABS as readonly string[]).includes(rest ?? '') ? rest! : 'goodwill';
  return (
    <Stack gap="md">
      <Title order={1} size="h3">{t('title')}</Title>
      <Tabs value={tab} onChange={(v) => navigate(`/heart/${v ?? 'goodwill'}`)} keepMounted={false}>
        <Tabs.List aria-label={t('title')}>
          {TABS.map((k) => <Tabs.Tab key={k} value={k}>{t(`tabs.${k}`)}</Tabs.Tab>)}
        </Tabs.List>
        <Tabs.Panel value="goodwill" pt="md"><Goodwill /></Tabs.Panel>
        <Tabs.Panel value="exceptions" pt="md"><Exceptions /></Tabs.Panel>
        <Tabs.Panel value="moments" pt="md"><Moments /></Tabs.Panel>
        <Tabs.Panel value="report" pt="md"><ReportTab /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function BudgetCard({ title, s, currency }: { title: string; s: Standing; currency: string }) {
  const { t } = useTranslation('heart');
  const fmt = useMoney();
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Text fw={600}>{title}</Text>
      <Text size="xl" fw={700} c={s.remaining < 0 ? 'red.9' : undefined}>{fmt(s.remaining, currency)}</Text>
      <Text size="sm">{t('budget.remainingOf', { budget: fmt(s.budget, currency) })}</Text>
      <Text size="sm">{t('budget.spentPending', { spent: fmt(s.spent, currency), pending: fmt(s.pending, currency) })}</Text>
    </Card>
  );
}

function Goodwill() {
  const { t } = useTranslation('heart');
  const me = useMe().data;
  const report = useReport(thisMonth());
  const manage = can(me?.role, 'manage');
  const r = report.data;
  const mine = r?.agents.find((a) => a.userId === me?.user?.id);
  // "Team {{name}}", unless the name already says it ("Team DACH", not "Team Team DACH").
  const teamWord = t('budget.team', { name: '' }).trim().toLowerCase();
  const teamTitle = (name: string) => (teamWord && name.toLowerCase().split(/\s+/).includes(teamWord) ? name : t('budget.team', { name }));
  return (
    <Stack gap="lg">
      <ErrorText error={report.error} />
      {r && (
        <section aria-labelledby="heart-budgets">
          <Title order={2} size="h4" id="heart-budgets" mb="xs">{t('budget.title', { month: r.month })}</Title>
          <Text size="sm" mb="sm"><ThresholdText r={r} /></Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {mine && <BudgetCard title={t('budget.mine')} s={mine} currency={r.currency} />}
            {r.teams.map((tm) => <BudgetCard key={tm.teamId} title={teamTitle(tm.name)} s={tm} currency={r.currency} />)}
          </SimpleGrid>
        </section>
      )}
      {manage && <PendingApprovals />}
      <SpendTable title={t('spends.recent')} status={undefined} />
      {manage && <SettingsForm />}
    </Stack>
  );
}

function ThresholdText({ r }: { r: Report }) {
  const { t } = useTranslation('heart');
  const fmt = useMoney();
  return <>{t('budget.thresholdText', { amount: fmt(r.approvalThreshold, r.currency) })}</>;
}

function reasons(t: (k: string) => string, s: Spend) {
  return s.approvalReasons.map((x) => t(`reasons.${x}`)).join(', ');
}

function PendingApprovals() {
  const { t } = useTranslation('heart');
  const me = useMe().data;
  const fmt = useMoney();
  const pending = useSpends('pending');
  const [deciding, setDeciding] = useState<{ spend: Spend; decision: 'approve' | 'reject' } | null>(null);
  return (
    <section aria-labelledby="heart-pending">
      <Title order={2} size="h4" id="heart-pending" mb="xs">{t('approvals.title')}</Title>
      <ErrorText error={pending.error} />
      {pending.data && pending.data.length === 0 && <Text size="sm">{t('approvals.none')}</Text>}
      {!!pending.data?.length && (
        <ScrollX label={t('approvals.caption')}>
          <Table striped>
            <Table.Caption>{t('approvals.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('spends.conversation')}</Table.Th><Table.Th>{t('spends.spender')}</Table.Th><Table.Th>{t('spends.kind')}</Table.Th>
                <Table.Th>{t('spends.amount')}</Table.Th><Table.Th>{t('spends.description')}</Table.Th><Table.Th>{t('spends.why')}</Table.Th>
                <Table.Th>{t('approvals.decide')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pending.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td><Anchor component={Link} to={`/conversations/${s.conversationId}`}>#{s.conversationNumber}</Anchor></Table.Td>
                  <Table.Td>{s.spenderName}</Table.Td>
                  <Table.Td>{t(`kinds.${s.kind}`)}</Table.Td>
                  <Table.Td>{fmt(s.amount, s.currency)}</Table.Td>
                  <Table.Td>{s.description}</Table.Td>
                  <Table.Td>{reasons(t, s)}</Table.Td>
                  <Table.Td>
                    {s.spenderId === me?.user?.id ? <Text size="sm">{t('approvals.own')}</Text> : (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" onClick={() => setDeciding({ spend: s, decision: 'approve' })} aria-label={t('approvals.approveWhat', { n: s.conversationNumber, amount: fmt(s.amount, s.currency) })}>{t('approvals.approve')}</Button>
                        <Button size="xs" variant="outline" color="red.9" onClick={() => setDeciding({ spend: s, decision: 'reject' })} aria-label={t('approvals.rejectWhat', { n: s.conversationNumber, amount: fmt(s.amount, s.currency) })}>{t('approvals.reject')}</Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
      {deciding && <DecisionModal {...deciding} onClose={() => setDeciding(null)} />}
    </section>
  );
}

function DecisionModal({ spend, decision, onClose }: { spend: Spend; decision: 'approve' | 'reject'; onClose: () => void }) {
  const { t } = useTranslation('heart');
  const [note, setNote] = useState('');
  const m = useHeartMutation(() => decide(spend.id, decision, note || undefined), spend.conversationId);
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('close') }} title={t(decision === 'approve' ? 'approvals.approve' : 'approvals.reject')}>
      <form onSubmit={(e) => { e.preventDefault(); m.mutate(undefined, { onSuccess: onClose }); }}>
        <Stack>
          <Text size="sm">{spend.description}</Text>
          <Textarea label={t('approvals.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-autofocus />
          <ErrorText error={m.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
            <Button type="submit" loading={m.isPending} color={decision === 'reject' ? 'red.9' : undefined}>{t(decision === 'approve' ? 'approvals.approve' : 'approvals.reject')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SpendTable({ title, status }: { title: string; status?: string }) {
  const { t } = useTranslation('heart');
  const fmt = useMoney();
  const spends = useSpends(status);
  return (
    <section aria-labelledby="heart-spends">
      <Title order={2} size="h4" id="heart-spends" mb="xs">{title}</Title>
      <ErrorText error={spends.error} />
      {spends.data && spends.data.length === 0 && <Text size="sm">{t('spends.none')}</Text>}
      {!!spends.data?.length && (
        <ScrollX label={title}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('spends.when')}</Table.Th><Table.Th>{t('spends.conversation')}</Table.Th><Table.Th>{t('spends.spender')}</Table.Th>
                <Table.Th>{t('spends.kind')}</Table.Th><Table.Th>{t('spends.amount')}</Table.Th><Table.Th>{t('spends.description')}</Table.Th>
                <Table.Th>{t('spends.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {spends.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{fmtDateTime(s.createdAt)}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`/conversations/${s.conversationId}`}>#{s.conversationNumber}</Anchor></Table.Td>
                  <Table.Td>{s.spenderName}</Table.Td>
                  <Table.Td>{t(`kinds.${s.kind}`)}</Table.Td>
                  <Table.Td>{fmt(s.amount, s.currency)}</Table.Td>
                  <Table.Td>{s.description}</Table.Td>
                  <Table.Td><StatusBadge s={s} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
    </section>
  );
}

export function StatusBadge({ s }: { s: Spend }) {
  const { t } = useTranslation('heart');
  const color = s.status === 'approved' ? 'green.9' : s.status === 'pending' ? 'yellow.9' : 'red.9';
  // Never truncated: the approver must read which spend waits.
  return <Badge color={color} variant="light" style={{ minWidth: 'max-content' }} title={s.status === 'pending' ? reasons(t, s) : s.decisionNote ?? undefined}>{t(`status.${s.status}`)}</Badge>;
}

function SettingsForm() {
  const s = useSettings();
  if (!s.data) return null;
  return <SettingsFields key={JSON.stringify(s.data)} initial={s.data} />;
}

function SettingsFields({ initial }: { initial: { currency: string; approvalThreshold: number; defaultAgentBudget: number; defaultTeamBudget: number } }) {
  const { t } = useTranslation('heart');
  const [currency, setCurrency] = useState(initial.currency);
  const [threshold, setThreshold] = useState<number | string>(initial.approvalThreshold / 100);
  const [agent, setAgent] = useState<number | string>(initial.defaultAgentBudget / 100);
  const [team, setTeam] = useState<number | string>(initial.defaultTeamBudget / 100);
  const m = useHeartMutation(() => saveSettings({ currency, approvalThreshold: toMinor(threshold), defaultAgentBudget: toMinor(agent), defaultTeamBudget: toMinor(team) }));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="heart-settings">
      <Title order={2} size="h4" id="heart-settings" mb="xs">{t('settings.title')}</Title>
      <form onSubmit={(e) => { e.preventDefault(); m.mutate(undefined); }}>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <TextInput label={t('settings.currency')} value={currency} onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())} maxLength={3} />
          <NumberInput label={t('settings.threshold')} value={threshold} onChange={setThreshold} min={0} decimalScale={2} />
          <NumberInput label={t('settings.agentBudget')} value={agent} onChange={setAgent} min={0} decimalScale={2} />
          <NumberInput label={t('settings.teamBudget')} value={team} onChange={setTeam} min={0} decimalScale={2} />
        </SimpleGrid>
        <ErrorText error={m.error} />
        <Group mt="sm">
          <Button type="submit" loading={m.isPending}>{t('settings.save')}</Button>
          {m.isSuccess && <Text size="sm" role="status">{t('settings.saved')}</Text>}
        </Group>
      </form>
    </Paper>
  );
}

function Exceptions() {
  const { t } = useTranslation('heart');
  const list = useExceptions();
  return (
    <section aria-labelledby="heart-exceptions">
      <Title order={2} size="h4" id="heart-exceptions" mb="xs">{t('exceptions.title')}</Title>
      <Text size="sm" mb="sm">{t('exceptions.intro')}</Text>
      <ErrorText error={list.error} />
      {list.data && list.data.length === 0 && <Text size="sm">{t('exceptions.none')}</Text>}
      {!!list.data?.length && (
        <ScrollX label={t('exceptions.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('spends.when')}</Table.Th><Table.Th>{t('spends.conversation')}</Table.Th><Table.Th>{t('exceptions.by')}</Table.Th>
                <Table.Th>{t('exceptions.policy')}</Table.Th><Table.Th>{t('exceptions.action')}</Table.Th><Table.Th>{t('exceptions.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{fmtDateTime(e.createdAt)}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`/conversations/${e.conversationId}`}>#{e.conversationNumber}</Anchor></Table.Td>
                  <Table.Td>{e.createdByName}</Table.Td>
                  <Table.Td>{e.policy}</Table.Td>
                  <Table.Td>{e.action}</Table.Td>
                  <Table.Td>{e.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
    </section>
  );
}

function Moments() {
  const { t } = useTranslation('heart');
  const feed = useFeed();
  return (
    <section aria-labelledby="heart-moments">
      <Title order={2} size="h4" id="heart-moments" mb="xs">{t('moments.title')}</Title>
      <Text size="sm" mb="sm">{t('moments.intro')}</Text>
      <ErrorText error={feed.error} />
      {feed.data && feed.data.length === 0 && <Text size="sm">{t('moments.none')}</Text>}
      <Stack gap="sm">
        {feed.data?.map((m) => <MomentCard key={m.id} m={m} />)}
      </Stack>
    </section>
  );
}

function MomentCard({ m }: { m: FeedMoment }) {
  const { t } = useTranslation('heart');
  const give = useHeartMutation(() => kudos(m.id));
  const disabled = m.mine || m.kudosByMe;
  return (
    <Card withBorder padding="md" component="article" aria-labelledby={`moment-${m.id}`}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3} size="h5" id={`moment-${m.id}`}>{m.title}</Title>
          <Text size="sm" c="dimmed">
            {t('moments.by', { name: m.agentName ?? '–', when: fmtDateTime(m.createdAt) })}
            {m.consent && m.customerName ? ` · ${t('moments.customer', { name: m.customerName })}` : ''}
          </Text>
        </div>
        {m.consent ? <Badge color="green.9" variant="light">{t('moments.withConsent')}</Badge> : <Badge color="gray.8" variant="light">{t('moments.anonymised')}</Badge>}
      </Group>
      <Text mt="xs" style={{ whiteSpace: 'pre-wrap' }}>{m.story}</Text>
      <Group mt="sm" gap="sm">
        <Button size="xs" variant={m.kudosByMe ? 'filled' : 'default'} disabled={disabled} loading={give.isPending} onClick={() => give.mutate(undefined)}
          aria-label={`${m.kudosByMe ? t('moments.kudosGiven') : t('moments.kudos')}: ${m.title}`}>
          {m.kudosByMe ? t('moments.kudosGiven') : t('moments.kudos')}
        </Button>
        <Text size="sm" aria-live="polite">{t('moments.kudosCount', { count: m.kudos })}</Text>
        {m.conversationId && <Anchor size="sm" component={Link} to={`/conversations/${m.conversationId}`}>#{m.conversationNumber}</Anchor>}
      </Group>
      <ErrorText error={give.error} />
    </Card>
  );
}

function ReportTab() {
  const { t } = useTranslation('heart');
  const me = useMe().data;
  const fmt = useMoney();
  const [month, setMonth] = useState(thisMonth());
  const report = useReport(month);
  const [budgetFor, setBudgetFor] = useState<{ type: 'user' | 'team'; id: string; name: string; amount: number } | null>(null);
  const manage = can(me?.role, 'manage');
  const r = report.data;
  const cols = (s: Standing) => (
    <>
      <Table.Td>{fmt(s.budget, r!.currency)}</Table.Td><Table.Td>{fmt(s.spent, r!.currency)}</Table.Td>
      <Table.Td>{fmt(s.pending, r!.currency)}</Table.Td><Table.Td c={s.remaining < 0 ? 'red.9' : undefined}>{fmt(s.remaining, r!.currency)}</Table.Td>
    </>
  );
  const head = (first: string, extra?: string) => (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>{first}</Table.Th><Table.Th>{t('report.budget')}</Table.Th><Table.Th>{t('report.spent')}</Table.Th>
        <Table.Th>{t('report.pending')}</Table.Th><Table.Th>{t('report.remaining')}</Table.Th>
        {extra && <Table.Th>{extra}</Table.Th>}
        {manage && <Table.Th>{t('report.actions')}</Table.Th>}
      </Table.Tr>
    </Table.Thead>
  );
  return (
    <Stack gap="lg">
      <Group align="flex-end">
        <TextInput type="month" label={t('report.month')} value={month} onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
      </Group>
      <ErrorText error={report.error} />
      {r && (
        <>
          <Text size="sm">{r.scope === 'own' ? t('report.ownScope') : t('report.allScope')}</Text>
          <ScrollX label={t('report.agents')}>
            <Table striped>
              <Table.Caption>{t('report.agents')}</Table.Caption>
              {head(t('report.agent'), t('report.exceptions'))}
              <Table.Tbody>
                {r.agents.map((a) => (
                  <Table.Tr key={a.userId}>
                    <Table.Td>{a.name}</Table.Td>{cols(a)}<Table.Td>{a.exceptions}</Table.Td>
                    {manage && <Table.Td><Button size="xs" variant="subtle" onClick={() => setBudgetFor({ type: 'user', id: a.userId, name: a.name, amount: a.budget })}
                      aria-label={`${t('report.setBudget')}: ${a.name}`}>{t('report.setBudget')}</Button></Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          <ScrollX label={t('report.teams')}>
            <Table striped>
              <Table.Caption>{t('report.teams')}</Table.Caption>
              {head(t('report.team'))}
              <Table.Tbody>
                {r.teams.map((tm) => (
                  <Table.Tr key={tm.teamId}>
                    <Table.Td>{tm.name}</Table.Td>{cols(tm)}
                    {manage && <Table.Td><Button size="xs" variant="subtle" onClick={() => setBudgetFor({ type: 'team', id: tm.teamId, name: tm.name, amount: tm.budget })}
                      aria-label={`${t('report.setBudget')}: ${tm.name}`}>{t('report.setBudget')}</Button></Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          <ScrollX label={t('report.kinds')}>
            <Table striped>
              <Table.Caption>{t('report.kinds')}</Table.Caption>
              <Table.Thead>
                <Table.Tr><Table.Th>{t('spends.kind')}</Table.Th><Table.Th>{t('report.count')}</Table.Th><Table.Th>{t('report.spent')}</Table.Th><Table.Th>{t('report.pending')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.kinds.map((k) => (
                  <Table.Tr key={k.kind}><Table.Td>{t(`kinds.${k.kind}`)}</Table.Td><Table.Td>{k.count}</Table.Td><Table.Td>{fmt(k.spent, r.currency)}</Table.Td><Table.Td>{fmt(k.pending, r.currency)}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          <Text>{t('report.totals', { spent: fmt(r.totals.spent, r.currency), pending: fmt(r.totals.pending, r.currency), exceptions: r.totals.exceptions })}</Text>
        </>
      )}
      {budgetFor && <BudgetModal month={month} target={budgetFor} onClose={() => setBudgetFor(null)} />}
    </Stack>
  );
}

function BudgetModal({ month, target, onClose }: { month: string; target: { type: 'user' | 'team'; id: string; name: string; amount: number }; onClose: () => void }) {
  const { t } = useTranslation('heart');
  const [amount, setAmount] = useState<number | string>(target.amount / 100);
  const m = useHeartMutation(() => put('/heart/budgets', { subjectType: target.type, subjectId: target.id, month, amount: toMinor(amount) }));
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('close') }} title={t('report.setBudgetFor', { name: target.name })}>
      <form onSubmit={(e) => { e.preventDefault(); m.mutate(undefined, { onSuccess: onClose }); }}>
        <Stack>
          <Text size="sm">{t('report.budgetMonth', { month })}</Text>
          <NumberInput label={t('report.budget')} value={amount} onChange={setAmount} min={0} decimalScale={2} data-autofocus />
          <ErrorText error={m.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
            <Button type="submit" loading={m.isPending}>{t('settings.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
