/** SLA policies: first reply, next reply and resolution targets, counted in business hours or around the clock. */
import { useState } from 'react';
import { Button, NumberInput, Switch, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../lib/api';
import { fmtDuration } from '../../lib/format';
import type { ApiOk } from '../../api/types';
import { AdminModal, AdminTable, ModalForm, ReadOnlyNote, ScreenHeader, Tag, useFieldErrors, useRole, useSave } from './ui';

type SlaPolicyList = ApiOk<'/api/v1/sla-policies', 'get'>;

export function useSlaPolicies() {
  return useQuery({ queryKey: ['admin', 'sla'], queryFn: () => get<SlaPolicyList>('/sla-policies').then((r) => r.items) });
}

const minutes = (v: number | string) => (v === '' || v === undefined ? null : Number(v));

function SlaForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState('');
  const [first, setFirst] = useState<number | string>(60);
  const [next, setNext] = useState<number | string>('');
  const [resolution, setResolution] = useState<number | string>('');
  const [businessHours, setBusinessHours] = useState(true);
  const save = useSave(
    () => post('/sla-policies', { name, firstReplyMinutes: minutes(first), nextReplyMinutes: minutes(next), resolutionMinutes: minutes(resolution), businessHours }),
    [['admin', 'sla']],
    onClose,
  );
  const { fe, rest } = useFieldErrors(save.error, ['name', 'firstReplyMinutes', 'nextReplyMinutes', 'resolutionMinutes', 'businessHours']);
  return (
    <ModalForm save={save} error={rest} submitLabel={t('sla.add')} onClose={onClose}>
      <TextInput label={t('sla.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} required data-autofocus />
      <NumberInput label={t('sla.firstReply')} description={t('sla.minutesHelp')} value={first} onChange={setFirst} min={1} allowDecimal={false} error={fe('firstReplyMinutes')} />
      <NumberInput label={t('sla.nextReply')} description={t('sla.minutesHelp')} value={next} onChange={setNext} min={1} allowDecimal={false} error={fe('nextReplyMinutes')} />
      <NumberInput label={t('sla.resolution')} description={t('sla.minutesHelp')} value={resolution} onChange={setResolution} min={1} allowDecimal={false} error={fe('resolutionMinutes')} />
      <Switch label={t('sla.businessHours')} checked={businessHours} onChange={(e) => setBusinessHours(e.currentTarget.checked)} />
    </ModalForm>
  );
}

export function SlaScreen() {
  const { t } = useTranslation('admin');
  const { manage } = useRole();
  const sla = useSlaPolicies();
  const [adding, setAdding] = useState(false);
  const d = (m: number | null) => (m === null ? '–' : fmtDuration(m * 60));
  return (
    <>
      <ScreenHeader title={t('nav.sla')} description={t('sla.intro')} action={manage && <Button onClick={() => setAdding(true)}>{t('sla.add')}</Button>} />
      <ReadOnlyNote cap="manage" />
      <AdminTable
        label={t('sla.table')}
        items={sla.data}
        query={sla}
        columns={[t('sla.name'), t('sla.firstReply'), t('sla.nextReply'), t('sla.resolution'), t('sla.clock')]}
        row={(s) => (
          <>
            <Table.Td>{s.name}</Table.Td>
            <Table.Td>{d(s.firstReplyMinutes)}</Table.Td>
            <Table.Td>{d(s.nextReplyMinutes)}</Table.Td>
            <Table.Td>{d(s.resolutionMinutes)}</Table.Td>
            <Table.Td>
              <Tag color={s.businessHours ? 'blue' : 'gray'}>{s.businessHours ? t('sla.inBusinessHours') : t('sla.aroundTheClock')}</Tag>
            </Table.Td>
          </>
        )}
      />
      <AdminModal opened={adding} onClose={() => setAdding(false)} title={t('sla.add')}>
        {adding && <SlaForm onClose={() => setAdding(false)} />}
      </AdminModal>
    </>
  );
}
