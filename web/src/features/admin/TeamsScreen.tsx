/** Teams and their members (supervisors and admins). */
import { useState } from 'react';
import { Button, Group, MultiSelect, Stack, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post, put } from '../../lib/api';
import { useUsers } from './UsersScreen';
import { AdminModal, ErrorAlert, ListState, ReadOnlyNote, ScreenHeader, useFieldErrors, useRole, useSave } from './ui';

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export function useTeams() {
  return useQuery({ queryKey: ['admin', 'teams'], queryFn: () => get<{ items: Team[] }>('/teams').then((r) => r.items) });
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
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <Stack>
        <TextInput label={t('teams.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} required disabled={!!team} data-autofocus />
        <MultiSelect
          label={t('teams.members')}
          searchable
          value={members}
          onChange={setMembers}
          data={(users.data ?? []).filter((u) => !u.disabled || members.includes(u.id)).map((u) => ({ value: u.id, label: u.name }))}
          error={fe('memberIds')}
        />
        <ErrorAlert message={rest} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={save.isPending}>{team ? t('common.save') : t('teams.add')}</Button>
        </Group>
      </Stack>
    </form>
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
      <ListState loading={teams.isLoading} error={teams.error} empty={!teams.data?.length} />
      {!!teams.data?.length && (
        <Table aria-label={t('teams.table')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('teams.name')}</Table.Th>
              <Table.Th>{t('teams.members')}</Table.Th>
              {manage && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {teams.data.map((tm) => (
              <Table.Tr key={tm.id}>
                <Table.Td>{tm.name}</Table.Td>
                <Table.Td>{tm.memberIds.map((id) => names.get(id) ?? id).join(', ') || '–'}</Table.Td>
                {manage && (
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setEditing(tm)} aria-label={`${t('teams.editMembers')}: ${tm.name}`}>
                      {t('teams.editMembers')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AdminModal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('teams.add') : t('teams.editMembers')}>
        {editing !== null && <TeamForm team={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </AdminModal>
    </>
  );
}
