/**
 * "Done — Undo" notices (issue 13): an action that is quick to take by mistake (`e` solves a conversation) shows a
 * notice for UNDO_MS with an Undo button that reverts it. One notice at a time, kept in a tiny module store so it
 * stays on screen when the agent goes back to the inbox; rendered once by the Shell.
 */
import { useState, useSyncExternalStore } from 'react';
import { Button, Group, Notification, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export const UNDO_MS = 8000;
interface Offer {
  id: number;
  message: string;
  undo: () => Promise<unknown>;
}
let current: Offer | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const subs = new Set<() => void>();
const emit = () => {
  for (const f of subs) f();
};
const subscribe = (f: () => void) => {
  subs.add(f);
  return () => {
    subs.delete(f);
  };
};
const set = (o: Offer | null) => {
  clearTimeout(timer);
  current = o;
  if (o) timer = setTimeout(() => current?.id === o.id && set(null), UNDO_MS);
  emit();
};
let seq = 0;

/** Shows "message — Undo"; `undo` reverts the action. */
export function offerUndo(message: string, undo: () => Promise<unknown>) {
  set({ id: ++seq, message, undo });
}

export function UndoNotice({ bottom = 16 }: { bottom?: number }) {
  const { t } = useTranslation();
  const offer = useSyncExternalStore(subscribe, () => current);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!offer) return null;
  return (
    <Notification
      role="status"
      withBorder
      color="teal"
      onClose={() => set(null)}
      closeButtonProps={{ 'aria-label': t('undo.dismiss') }}
      style={{ position: 'fixed', zIndex: 400, bottom, left: '50%', transform: 'translateX(-50%)', width: 'min(420px, calc(100vw - 24px))' }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm">{failed ? t('undo.failed') : offer.message}</Text>
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={async () => {
            setBusy(true);
            setFailed(false);
            try {
              await offer.undo();
              set(null);
            } catch {
              setFailed(true);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('undo.button')}
        </Button>
      </Group>
    </Notification>
  );
}
