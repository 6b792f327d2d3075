/**
 * Keyboard shortcuts of the agent workspace: single keys (j, k, o, /, r, e, ?) and the sequence "g i". Ignored while
 * typing in a field, with a modifier held, or while a dialog is open (its own keys win).
 */
import { useEffect, useRef } from 'react';
import { Kbd, Modal, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type ShortcutMap = Record<string, (e: KeyboardEvent) => void>;

const typingIn = (t: EventTarget | null) => {
  const el = t as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'INPUT') return !['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes((el as HTMLInputElement).type);
  return tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
};

export function useShortcuts(map: ShortcutMap) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    let prefix: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], .mantine-Modal-content')) return;
      const key = prefix ? `${prefix} ${e.key}` : e.key;
      if (prefix) {
        prefix = null;
        clearTimeout(timer);
      } else if (e.key === 'g') {
        prefix = 'g';
        timer = setTimeout(() => (prefix = null), 1500);
        return;
      }
      const fn = ref.current[key];
      if (fn) {
        e.preventDefault();
        fn(e);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearTimeout(timer);
    };
  }, []);
}

const LIST: [string[], string][] = [
  [['j'], 'next'],
  [['k'], 'previous'],
  [['Enter', 'o'], 'open'],
  [['x'], 'select'],
  [['/'], 'search'],
  [['g', 'i'], 'inbox'],
  [['r'], 'reply'],
  [['e'], 'solve'],
  [['?'], 'help'],
];

export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('inbox');
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} closeButtonProps={{ 'aria-label': t('actions.close') }}>
      <Table aria-label={t('shortcuts.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('shortcuts.key')}</Table.Th>
            <Table.Th>{t('shortcuts.action')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {LIST.map(([keys, what]) => (
            <Table.Tr key={what}>
              <Table.Td>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && (what === 'inbox' ? ` ${t('shortcuts.then')} ` : ' / ')}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{t(`shortcuts.${what}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
