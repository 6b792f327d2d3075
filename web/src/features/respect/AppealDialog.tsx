/** An agent records an appeal on the customer's behalf (a phone call, a letter). */
import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';

export function AppealDialog({ measureId, onClose }: { measureId: string; onClose: () => void }) {
  const { t } = useTranslation('respect');
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await post(`/respect/measures/${measureId}/appeals`, { text });
      await qc.invalidateQueries({ queryKey: ['respect'] });
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('appeal.title')} closeButtonProps={{ 'aria-label': t('close') }}>
      {done ? (
        <Stack>
          <Alert color="teal" role="status">{t('appeal.recorded')}</Alert>
          <Group justify="flex-end"><Button onClick={onClose}>{t('close')}</Button></Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Textarea label={t('appeal.text')} description={t('appeal.hint')} value={text} onChange={(e) => setText(e.currentTarget.value)} required autosize minRows={3} />
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
              <Button type="submit">{t('appeal.submit')}</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
