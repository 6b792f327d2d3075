/**
 * Users and roles: list with presence; admins add users, change role, capacity, language, password, disable. A user
 * added without a password is emailed an invitation; until they set a password the row says Invited and offers to
 * send the invitation again.
 */
import { useState } from 'react';
import { Alert, Badge, Button, NumberInput, PasswordInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, get, patch, post } from '../../lib/api';
import type { Role } from '../../lib/session';
import type { ApiOk, Item } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { ActionsCell, AdminTable, EditModal, ModalForm, ReadOnlyNote, RowButton, RowConfirmButton, ScreenHeader, Tag, useFieldErrors, useRole, useSave } from './ui';

type UserList = ApiOk<'/api/v1/users', 'get'>;
type User = Item<UserList['items']>;
type Invitation = ApiOk<'/api/v1/users/{id}/invitation', 'post'>;

export const ROLES: Role[] = ['agent', 'supervisor', 'leader', 'admin'];
const PRESENCE_COLOR: Record<string, string> = { available: 'teal', busy: 'orange', away: 'yellow', offline: 'gray' };

export function useUsers() {
  return useQuery({ queryKey: ['admin', 'users'], queryFn: () => get<UserList>('/users').then((r) => r.items) });
}

function UserForm({ user, onClose, onInvited }: { user: User | null; onClose: () => void; onInvited: (u: User) => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'agent');
  const [locale, setLocale] = useState<string>(user?.locale ?? 'en');
  const [capacity, setCapacity] = useState<number | string>(user?.capacity ?? 10);
  const [password, setPassword] = useState('');
  const save = useSave(
    () => {
      const body: Record<string, unknown> = { name, role, locale, capacity: Number(capacity) };
      if (password) body.password = password;
      return user ? patch<User>(`/users/${user.id}`, body) : post<User>('/users', { ...body, email });
    },
    [['admin', 'users']],
    (out) => {
      if (!user && out && !out.passwordSet) onInvited(out);
      onClose();
    },
  );
  const { fe, rest } = useFieldErrors(save.error, ['name', 'email', 'role', 'locale', 'capacity', 'password']);
  return (
    <ModalForm save={save} error={rest} submitLabel={user ? t('common.save') : t('users.add')} onClose={onClose}>
      <TextInput label={t('users.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} required data-autofocus />
      <TextInput label={t('users.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fe('email')} required disabled={!!user} />
      <Select label={t('users.role')} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} error={fe('role')} />
      <Select label={t('users.language')} value={locale} onChange={(v) => v && setLocale(v)} allowDeselect={false} data={['en', 'de', 'nb'].map((l) => ({ value: l, label: tc(`lang.${l}`) }))} error={fe('locale')} />
      <NumberInput label={t('users.capacity')} description={t('users.capacityHelp')} value={capacity} onChange={setCapacity} min={0} max={1000} allowDecimal={false} error={fe('capacity')} />
      <PasswordInput
        label={user ? t('users.newPassword') : t('users.password')}
        description={user ? t('users.passwordHelp') : t('users.passwordHelpNew')}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={save.error instanceof ApiError && save.error.code === 'password_common' ? t('users.passwordCommon') : fe('password')}
        autoComplete="new-password"
      />
    </ModalForm>
  );
}

export function UsersScreen() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { me, admin } = useRole();
  const users = useUsers();
  const [editing, setEditing] = useState<User | null | 'new'>(null);
  const toggle = useSave((u: User) => patch(`/users/${u.id}`, { disabled: !u.disabled }), [['admin', 'users']]);
  const [sent, setSent] = useState<{ email: string; until: string } | null>(null);
  const noteInvited = (u: { email: string; invitedUntil?: string | null; expiresAt?: string }) =>
    setSent({ email: u.email, until: fmtDateTime(u.expiresAt ?? u.invitedUntil ?? null) });
  const resend = useSave((u: User) => post<Invitation>(`/users/${u.id}/invitation`), [['admin', 'users']], noteInvited);
  return (
    <>
      <ScreenHeader
        title={t('nav.users')}
        description={t('users.intro')}
        action={admin && <Button onClick={() => setEditing('new')}>{t('users.add')}</Button>}
      />
      <ReadOnlyNote cap="admin" />
      {sent && (
        <Alert color="teal" role="status" mb="sm" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setSent(null)}>
          {t('users.invitationSent', { email: sent.email, until: sent.until })}
        </Alert>
      )}
      <AdminTable
        label={t('users.table')}
        items={users.data}
        query={users}
        minWidth={640}
        highlightOnHover
        columns={[t('users.name'), t('users.email'), t('users.role'), t('users.presence'), t('users.capacity'), t('users.status'), admin && t('common.actions')]}
        row={(u) => (
          <>
            <Table.Td>{u.name}</Table.Td>
            <Table.Td>{u.email}</Table.Td>
            <Table.Td>{t(`roles.${u.role}`)}</Table.Td>
            <Table.Td>
              <Badge variant="dot" color={PRESENCE_COLOR[u.presence] ?? 'gray'}>{tc(`presence.${u.presence}`)}</Badge>
            </Table.Td>
            <Table.Td>{u.capacity}</Table.Td>
            <Table.Td>
              {u.disabled ? (
                <Tag color="gray">{t('users.disabled')}</Tag>
              ) : !u.passwordSet ? (
                // Beside the state it concerns, so it stays in view when the table is wider than the screen.
                <Stack gap={4} align="flex-start">
                  <Tag color="blue">{t('users.invited')}</Tag>
                  {admin && <RowButton label={t('users.resend')} what={u.name} onClick={() => resend.mutate(u)} />}
                </Stack>
              ) : (
                <Tag color="teal">{t('users.active')}</Tag>
              )}
            </Table.Td>
            {admin && (
              <ActionsCell>
                <RowButton label={t('common.edit')} what={u.name} onClick={() => setEditing(u)} />
                {u.disabled ? (
                  <RowButton label={t('users.enable')} what={u.name} onClick={() => toggle.mutate(u)} />
                ) : (
                  <RowConfirmButton
                    label={t('users.disable')}
                    what={u.name}
                    disabled={u.id === me?.user?.id}
                    title={t('users.disableTitle', { name: u.name })}
                    message={t('users.disableText')}
                    onConfirm={() => toggle.mutateAsync(u)}
                  />
                )}
              </ActionsCell>
            )}
          </>
        )}
      />
      <EditModal editing={editing} setEditing={setEditing} addTitle={t('users.add')} editTitle={t('users.edit')} form={(user, close) => <UserForm user={user} onClose={close} onInvited={noteInvited} />} />
    </>
  );
}
