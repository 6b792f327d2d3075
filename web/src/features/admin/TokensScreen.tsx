/** API tokens (admin): create with a role (the token is shown once, with a copy button), list, revoke. */
import { useState } from 'react';
import { Alert, Button, Code, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import type { Role } from '../../lib/session';
import { ROLES } from './UsersScreen';
import { AdminModal, ConfirmButton, CopyValue, ErrorAlert, ListState, ScreenHeader, useFieldErrors, useSave, Tag } from './ui';

interface Token {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function TokenForm({ onCreated, onClose }: { onCreated: (token: string) => void; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const save = useSave(() => post<{ token: string }>('/tokens', { name, role }), [['admin', 'tokens']], (r) => onCreated(r.token));
  const { fe, rest } = useFieldErrors(save.error, ['name', 'role']);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <Stack>
        <TextInput label={t('tokens.name')} description={t('tokens.nameHelp')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} data-autofocus />
        <Select label={t('tokens.role')} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} error={fe('role')} />
        <ErrorAlert message={rest} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={save.isPending}>{t('tokens.add')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TokensScreen() {
  const { t } = useTranslation('admin');
  const tokens = useQuery({ queryKey: ['admin', 'tokens'], queryFn: () => get<{ items: Token[] }>('/tokens').then((r) => r.items) });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const revoke = useSave((id: string) => del(`/tokens/${id}`), [['admin', 'tokens']]);
  return (
    <>
      <ScreenHeader title={t('nav.tokens')} description={t('tokens.intro')} action={<Button onClick={() => { setSecret(null); setAdding(true); }}>{t('tokens.add')}</Button>} />
      <ListState loading={tokens.isLoading} error={tokens.error} empty={!tokens.data?.length} />
      {!!tokens.data?.length && (
        <Table.ScrollContainer minWidth={700}>
          <Table aria-label={t('tokens.table')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.name')}</Table.Th>
                <Table.Th>{t('tokens.role')}</Table.Th>
                <Table.Th>{t('tokens.prefix')}</Table.Th>
                <Table.Th>{t('tokens.created')}</Table.Th>
                <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                <Table.Th>{t('tokens.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((tk) => {
                const label = tk.name || tk.prefix;
                return (
                  <Table.Tr key={tk.id}>
                    <Table.Td>{tk.name || '–'}</Table.Td>
                    <Table.Td>{t(`roles.${tk.role}`)}</Table.Td>
                    <Table.Td><Code>{tk.prefix}…</Code></Table.Td>
                    <Table.Td>{fmtDateTime(tk.createdAt)}</Table.Td>
                    <Table.Td>{tk.lastUsedAt ? fmtDateTime(tk.lastUsedAt) : t('tokens.never')}</Table.Td>
                    <Table.Td>
                      {tk.revokedAt ? <Tag color="gray">{t('tokens.revoked')}</Tag> : <Tag color="teal">{t('users.active')}</Tag>}
                    </Table.Td>
                    <Table.Td>
                      {!tk.revokedAt && (
                        <ConfirmButton
                          label={t('tokens.revoke')}
                          buttonProps={{ 'aria-label': `${t('tokens.revoke')}: ${label}` }}
                          title={t('tokens.revokeTitle', { name: label })}
                          message={t('tokens.revokeText')}
                          confirmLabel={t('tokens.revoke')}
                          onConfirm={() => revoke.mutateAsync(tk.id)}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdminModal opened={adding} onClose={() => setAdding(false)} title={secret ? t('tokens.createdTitle') : t('tokens.add')}>
        {adding &&
          (secret ? (
            <Stack>
              <Alert color="yellow" title={t('common.shownOnce')}>{t('tokens.once')}</Alert>
              <CopyValue value={secret} label={t('tokens.token')} testId="new-token" />
              <Text size="xs" c="dimmed">{t('tokens.usage')}</Text>
              <Group justify="flex-end">
                <Button onClick={() => setAdding(false)}>{t('common.done')}</Button>
              </Group>
            </Stack>
          ) : (
            <TokenForm onCreated={setSecret} onClose={() => setAdding(false)} />
          ))}
      </AdminModal>
    </>
  );
}
