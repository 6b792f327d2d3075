/** Teams and their members (supervisors and admins). */
import { useState } from 'react';
import { Button, MultiSelect, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post, put } from '../../lib/api';
import type { ApiOk, Item } from '../../api/types';
import { useUsers } from './UsersScreen';
import { AdminTable, EditModal, ModalForm, ReadOnlyNote, RowButton, ScreenHeader, useFieldErrors, useRole, useSave } from './ui';

type TeamList = ApiOk<'/api/v1/teams', 'get'>;
type Team = Item<TeamList['items']>;

export function useTeams() {
  return useQuery({ queryKey: ['admin', 'teams'], queryFn: () => get<TeamList>('/teams').then((r) => r.items) });
}

function TeamForm({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const users = useUsers();
  const [name, setName] = useState(team?.name ?? '');
  const [members, setMembers] = useState<string[]>(team?.memberIds ?? []);
  const save = useSave(
    () => (team ? put(`/teams/${team.id}/members`, { memberIds: members }) : post('/teams', { name, memberIds: members })),
    [['admin', 'teams']],
    onClose,
  );
  const { fe, rest } = useFieldErrors(save.error, ['name', 'memberIds']);
  return (
    <ModalForm save={save} error={rest} submitLabel={team ? t('common.save') : t('teams.add')} onClose={onClose}>
      <TextInput label={t('teams.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} required disabled={!!team} data-autofocus />
      <MultiSelect
        label={t('teams.members')}
        searchable
        value={members}
        onChange={setMembers}
        data={(users.data ?? []).filter((u) => !u.disabled || members.includes(u.id)).map((u) => ({ value: u.id, label: u.name }))}
        error={fe('memberIds')}
      />
    </ModalForm>
  );
}

export function TeamsScreen() {
  const { t } = useTranslation('admin');
  const { manage } = useRole();
  const teams = useTeams();
  const users = useUsers();
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const [editing, setEditing] = useState<Team | null | 'new'>(null);
  return (
    <>
      <ScreenHeader title={t('nav.teams')} description={t('teams.intro')} action={manage && <Button onClick={() => setEditing('new')}>{t('teams.add')}</Button>} />
      <ReadOnlyNote cap="manage" />
      <AdminTable
        label={t('teams.table')}
        items={teams.data}
        query={teams}
        columns={[t('teams.name'), t('teams.members'), manage && t('common.actions')]}
        row={(tm) => (
          <>
            <Table.Td>{tm.name}</Table.Td>
            <Table.Td>{tm.memberIds.map((id) => names.get(id) ?? id).join(', ') || '–'}</Table.Td>
            {manage && (
              <Table.Td>
                <RowButton label={t('teams.editMembers')} what={tm.name} onClick={() => setEditing(tm)} />
              </Table.Td>
            )}
          </>
        )}
      />
      <EditModal editing={editing} setEditing={setEditing} addTitle={t('teams.add')} editTitle={t('teams.editMembers')} form={(team, close) => <TeamForm team={team} onClose={close} />} />
    </>
  );
}
