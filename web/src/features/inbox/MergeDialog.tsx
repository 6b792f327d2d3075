/** Merge this conversation into another one, found by number ("#123" or "123") or by words; confirmed before it runs. */
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, get, post, qs } from '../../lib/api';
import type { Conversation, Page } from './api';
import { StatusBadge } from './bits';

export function MergeDialog({ conv, opened, onClose }: { conv: Conversation; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('inbox');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [term, setTerm] = useState('');
  const [debounced, setDebounced] = useState('');
  const [target, setTarget] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const h = setTimeout(() => setDebounced(term.trim()), 250);
    return () => clearTimeout(h);
  }, [term]);
  useEffect(() => {
    if (!opened) {
      setTerm('');
      setTarget(null);
      setError(null);
    }
  }, [opened]);
  const num = /^#?(\d+)$/.exec(debounced)?.[1];
  const found = useQuery({
    queryKey: ['conversations', 'merge-search', debounced],
    enabled: opened && !!debounced,
    queryFn: () => get<Page>(`/conversations${qs(num ? { number: num, view: 'all' } : { q: debounced, view: 'open', limit: 10 })}`),
  });
  const candidates = (found.data?.items ?? []).filter((c) => c.id !== conv.id && !c.mergedInto && c.status !== 'closed');
  const chosen = candidates.find((c) => c.id === target);
  const merge = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/conversations/${conv.id}/merge`, { into: chosen.id });
      await qc.invalidateQueries({ queryKey: ['conversations'] });
      await qc.invalidateQueries({ queryKey: ['conversation'] });
      onClose();
      navigate(`/conversations/${chosen.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail ?? e.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('merge.title', { n: conv.number })} closeButtonProps={{ 'aria-label': t('actions.close') }}>
      <Stack>
        <Text size="sm">{t('merge.intro', { n: conv.number })}</Text>
        <TextInput label={t('merge.find')} description={t('merge.findHint')} value={term} onChange={(e) => setTerm(e.currentTarget.value)} data-autofocus />
        {found.isFetching && <Text size="sm" c="dimmed">{t('list.loading')}</Text>}
        {!!debounced && !found.isFetching && !candidates.length && <Text size="sm" c="dimmed">{t('merge.none')}</Text>}
        {!!candidates.length && (
          <Radio.Group label={t('merge.pick')} value={target} onChange={setTarget}>
            <Stack gap={6} mt={6}>
              {candidates.map((c) => (
                <Radio
                  key={c.id}
                  value={c.id}
                  label={
                    <Group gap={6} wrap="nowrap">
                      <span>#{c.number} {c.subject}</span>
                      <StatusBadge status={c.status} />
                    </Group>
                  }
                  description={c.customer.name ?? c.customer.identities[0]?.value}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
          <Button color="red" disabled={!chosen} loading={busy} onClick={merge}>
            {chosen ? t('merge.confirm', { a: conv.number, b: chosen.number }) : t('merge.button')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
