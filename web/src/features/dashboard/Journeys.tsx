/** The multi-attempt journeys that the usual figures miss, longest first; each opens down to its contacts. */
import { Fragment, useState } from 'react';
import { Anchor, Badge, Button, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fmtDateTime, fmtNumber } from '../../lib/format';
import { fmtHuman } from './human';
import type { Journey } from './api';
import { ScrollX } from '../../lib/ScrollX';

const outcomeColor: Record<string, string> = { answered: 'teal', abandoned: 'red', closed: 'gray', waiting: 'yellow', never_served: 'red' };

export function journeyWho(j: Journey) {
  const c = j.customer;
  return ('customerId' in c ? c.name || c.customerId : c.identity) || '–';
}

/** The customer of a journey: a link to their conversations when a customer row exists, else the caller identity
 * (as the phone system sent it) marked as not linked to any customer. */
function Who({ j }: { j: Journey }) {
  const { t } = useTranslation('dashboard');
  const c = j.customer;
  if ('customerId' in c) {
    const name = c.name || t('journeys.unnamed');
    return <Anchor component={Link} to={`/inbox/all?customer=${encodeURIComponent(c.customerId)}`} aria-label={t('journeys.openCustomer', { name })}>{name}</Anchor>;
  }
  return (
    <div>
      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>{c.identity ?? '–'}</Text>
      <Text size="xs" c="dimmed">{t('journeys.unlinked')}</Text>
    </div>
  );
}

function Contacts({ j }: { j: Journey }) {
  const { t } = useTranslation('dashboard');
  return (
    <Table aria-label={t('journeys.contactsOf', { who: journeyWho(j) })} withTableBorder fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('journeys.attempt')}</Table.Th>
          <Table.Th scope="col">{t('journeys.channel')}</Table.Th>
          <Table.Th scope="col">{t('journeys.queue')}</Table.Th>
          <Table.Th scope="col">{t('journeys.firstTouch')}</Table.Th>
          <Table.Th scope="col">{t('journeys.queueEntered')}</Table.Th>
          <Table.Th scope="col">{t('journeys.endedAt')}</Table.Th>
          <Table.Th scope="col">{t('journeys.outcome')}</Table.Th>
          <Table.Th scope="col" ta="right">{t('journeys.livedWait')}</Table.Th>
          <Table.Th scope="col" ta="right">{t('journeys.queueWait')}</Table.Th>
          <Table.Th scope="col">{t('journeys.conversation')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {j.contacts.filter(Boolean).map((c, i) => (
          <Table.Tr key={c.contactId}>
            <Table.Td>{i + 1}</Table.Td>
            <Table.Td>{t(`channel.${c.channel}`, { defaultValue: c.channel })}</Table.Td>
            <Table.Td>{c.queue ?? '–'}</Table.Td>
            <Table.Td>{fmtDateTime(c.firstTouchAt)}</Table.Td>
            <Table.Td>{fmtDateTime(c.queueEnteredAt)}</Table.Td>
            <Table.Td>{fmtDateTime(c.answeredAt ?? c.abandonedAt)}</Table.Td>
            <Table.Td><Badge variant="dot" color={outcomeColor[c.outcome]} style={{ minWidth: 'max-content' }}>{t(`outcome.${c.outcome}`)}</Badge></Table.Td>
            <Table.Td ta="right">{fmtHuman(t, c.livedWaitSeconds)}</Table.Td>
            <Table.Td ta="right">{fmtHuman(t, c.queueWaitSeconds)}</Table.Td>
            <Table.Td>
              {c.conversationId ? (
                <Anchor component={Link} to={`/conversations/${c.conversationId}`}>{t('journeys.openConversation')}</Anchor>
              ) : '–'}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function MultiAttemptJourneys({ items, onMore }: { items: Journey[]; onMore?: () => void }) {
  const { t } = useTranslation('dashboard');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const keyOf = (j: Journey) => `${j.contacts[0]?.contactId ?? ''}|${j.startedAt}`;
  const toggle = (k: string) => setOpen((s) => {
    const n = new Set(s);
    if (n.has(k)) n.delete(k);
    else n.add(k);
    return n;
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="journeys-title">
      <Title order={2} size="h4" id="journeys-title">{t('journeys.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t('journeys.hint')}</Text>
      {items.length === 0 ? (
        <Text>{t('journeys.none')}</Text>
      ) : (
        <ScrollX label={t('journeys.title')}>
          <Table aria-label={t('journeys.title')} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('journeys.customer')}</Table.Th>
                <Table.Th scope="col">{t('journeys.started')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('journeys.attempts')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('journeys.wait')}</Table.Th>
                <Table.Th scope="col">{t('journeys.outcome')}</Table.Th>
                <Table.Th scope="col">{t('journeys.contacts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((j) => {
                const k = keyOf(j);
                const isOpen = open.has(k);
                const id = `journey-${k.replace(/[^\w-]/g, '_')}`;
                return (
                  <Fragment key={k}>
                    <Table.Tr>
                      <Table.Td maw={260}><Who j={j} /></Table.Td>
                      <Table.Td>{fmtDateTime(j.startedAt)}</Table.Td>
                      <Table.Td ta="right">{fmtNumber(j.attempts)}</Table.Td>
                      <Table.Td ta="right" fw={600}>{fmtHuman(t, j.waitSeconds ?? j.spanSeconds)}</Table.Td>
                      <Table.Td><Badge variant="dot" color={outcomeColor[j.outcome]} style={{ minWidth: 'max-content' }}>{t(`outcome.${j.outcome}`)}</Badge></Table.Td>
                      <Table.Td>
                        <Button size="compact-sm" variant="subtle" aria-expanded={isOpen} aria-controls={id}
                          aria-label={`${isOpen ? t('journeys.hideContacts') : t('journeys.showContacts', { count: j.attempts })}: ${journeyWho(j)}`}
                          onClick={() => toggle(k)}>
                          {isOpen ? t('journeys.hideContacts') : t('journeys.showContacts', { count: j.attempts })}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                    {isOpen && (
                      <Table.Tr id={id}>
                        <Table.Td colSpan={6} bg="var(--mantine-color-gray-0)"><Contacts j={j} /></Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
          {onMore && <Button mt="sm" variant="default" onClick={onMore}>{t('journeys.more')}</Button>}
        </ScrollX>
      )}
    </Paper>
  );
}
