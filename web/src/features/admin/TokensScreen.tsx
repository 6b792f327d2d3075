/**
 * API tokens (admin): create with a role (the token is shown once, with a copy button), list with who created each,
 * revoke. A token follows its creator's rights (revoked when they are disabled, capped when demoted).
 */
import { useState } from 'react';
import { Button, Code, Select, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import type { Role } from '../../lib/session';
import type { ApiOk } from '../../api/types';
import { ROLES } from './UsersScreen';
import { AdminTable, ModalForm, RowConfirmButton, ScreenHeader, SecretModal, Tag, useFieldErrors, useSave, useSecretModal } from './ui';

type TokenList = ApiOk<'/api/v1/tokens', 'get'>;
type NewToken = ApiOk<'/api/v1/tokens', 'post'>;

function TokenForm({ onCreated, onClose }: { onCreated: (token: string) => void; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const save = useSave(() => post<NewToken>('/tokens', { name, role }), [['admin', 'tokens']], (r) => onCreated(r.token));
  const { fe, rest } = useFieldErrors(save.error, ['name', 'role']);
  return (
    <ModalForm save={save} error={rest} submitLabel={t('tokens.add')} onClose={onClose}>
      <TextInput label={t('tokens.name')} description={t('tokens.nameHelp')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} data-autofocus />
      <Select label={t('tokens.role')} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} error={fe('role')} />
    </ModalForm>
  );
}

export function TokensScreen() {
  const { t } = useTranslation('admin');
  const tokens = useQuery({ queryKey: ['admin', 'tokens'], queryFn: () => get<TokenList>('/tokens').then((r) => r.items) });
  const created = useSecretModal();
  const revoke = useSave((id: string) => del(`/tokens/${id}`), [['admin', 'tokens']]);
  return (
    <>
      <ScreenHeader title={t('nav.tokens')} description={`${t('tokens.intro')} ${t('tokens.rule')}`} action={<Button onClick={created.open}>{t('tokens.add')}</Button>} />
      <AdminTable
        label={t('tokens.table')}
        items={tokens.data}
        query={tokens}
        minWidth={820}
        columns={[t('tokens.name'), t('tokens.role'), t('tokens.prefix'), t('tokens.created'), t('tokens.createdBy'), t('tokens.lastUsed'), t('tokens.status'), t('common.actions')]}
        row={(tk) => {
          const label = tk.name || tk.prefix;
          return (
            <>
              <Table.Td>{tk.name || '–'}</Table.Td>
              <Table.Td>{t(`roles.${tk.role}`)}</Table.Td>
              <Table.Td><Code>{tk.prefix}…</Code></Table.Td>
              <Table.Td>{fmtDateTime(tk.createdAt)}</Table.Td>
              <Table.Td>{tk.createdBy ? tk.createdBy.name : t('tokens.operator')}</Table.Td>
              <Table.Td>{tk.lastUsedAt ? fmtDateTime(tk.lastUsedAt) : t('tokens.never')}</Table.Td>
              <Table.Td>
                {tk.revokedAt ? <Tag color="gray">{t('tokens.revoked')}</Tag> : <Tag color="teal">{t('users.active')}</Tag>}
              </Table.Td>
              <Table.Td>
                {!tk.revokedAt && (
                  <RowConfirmButton
                    label={t('tokens.revoke')}
                    what={label}
                    title={t('tokens.revokeTitle', { name: label })}
                    message={t('tokens.revokeText')}
                    onConfirm={() => revoke.mutateAsync(tk.id)}
                  />
                )}
              </Table.Td>
            </>
          );
        }}
      />
      <SecretModal
        state={created}
        title={t('tokens.add')}
        createdTitle={t('tokens.createdTitle')}
        notice={t('tokens.once')}
        label={t('tokens.token')}
        testId="new-token"
        hint={t('tokens.usage')}
        form={(onCreated, onClose) => <TokenForm onCreated={onCreated} onClose={onClose} />}
      />
    </>
  );
}
