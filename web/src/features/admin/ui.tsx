/** Small building blocks shared by the administration screens: field errors, confirmations, copy boxes, list tables with row actions, modal forms. */
import { useState, type Key, type ReactNode } from 'react';
import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, Title, type ButtonProps, type ModalProps } from '@mantine/core';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api';
import { can, useMe } from '../../lib/session';
import { ScrollX } from '../../lib/ScrollX';

/** The API's field path without the request part: "body/email" → "email", "topics/0/key" stays. */
export function errorField(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined;
  return err.field.replace(/^(body|querystring|params)\/?/, '') || undefined;
}

/** The server's message without the "field: " it starts with (the form shows it next to that field). */
function errorText(err: ApiError): string {
  const f = err.field ?? '';
  for (const prefix of [f, errorField(err) ?? '']) if (prefix && err.message.startsWith(`${prefix}: `)) return err.message.slice(prefix.length + 2);
  return err.message;
}

/**
 * Maps an API error onto a form: `fe('email')` is the message for that field (or a field below it, such as
 * businessHours/week/mon), `rest` the message no shown field claims, for an alert above the buttons.
 */
export function useFieldErrors(err: unknown, fields: string[]) {
  const { t } = useTranslation('admin');
  const field = errorField(err);
  const owner = field ? fields.find((f) => field === f || field.startsWith(`${f}/`)) : undefined;
  const fe = (name: string) => (err instanceof ApiError && owner === name ? errorText(err) : undefined);
  const rest = !err ? undefined : owner ? undefined : err instanceof ApiError ? (field ? `${field}: ${errorText(err)}` : err.message) : t('common.failed');
  return { fe, rest };
}

export function ErrorAlert({ message }: { message?: string }) {
  const { t } = useTranslation('admin');
  if (!message) return null;
  return (
    <Alert color="red" title={t('common.error')} role="alert">
      {message}
    </Alert>
  );
}

/** A mutation that refreshes the given lists when it succeeds. */
export function useSave<I, O = unknown>(fn: (input: I) => Promise<O>, keys: QueryKey[], onDone?: (out: O) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (out) => {
      await Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
      onDone?.(out);
    },
  });
}

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
  buttonProps?: ButtonProps & { 'aria-label'?: string };
  color?: string;
}) {
  const { t } = useTranslation('admin');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const { rest } = useFieldErrors(err, []);
  return (
    <>
      <Button size="xs" variant="light" color={props.color ?? 'red'} disabled={props.disabled} onClick={() => setOpen(true)} {...props.buttonProps}>
        {props.label}
      </Button>
      <AdminModal opened={open} onClose={() => setOpen(false)} title={props.title}>
        <Stack>
          <Text size="sm">{props.message}</Text>
          <ErrorAlert message={rest} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button
              color={props.color ?? 'red'}
              loading={busy}
              onClick={async () => {
                setBusy(true);
                setErr(null);
                try {
                  await props.onConfirm();
                  setOpen(false);
                } catch (e) {
                  setErr(e);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </AdminModal>
    </>
  );
}

/** A value in a code box with a copy button (tokens, secrets, embed snippets). */
export function CopyValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const { t } = useTranslation('admin');
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} aria-label={label} data-testid={testId}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="xs" variant="default" onClick={copy} aria-label={`${t('common.copy')}: ${label}`}>
            {copied ? t('common.copied') : t('common.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

/** A screen's heading, an explanation and the main action. */
export function ScreenHeader({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md">
      <div>
        <Title order={2} size="h4">{title}</Title>
        {description && <Text size="sm" c="dimmed" maw={720}>{description}</Text>}
      </div>
      {action}
    </Group>
  );
}

/** A hint that the signed-in role may look but not change. */
export function ReadOnlyNote({ cap }: { cap: 'manage' | 'admin' }) {
  const { t } = useTranslation('admin');
  const { data: me } = useMe();
  if (can(me?.role, cap)) return null;
  return (
    <Text size="sm" c="dimmed" mb="sm">
      {cap === 'admin' ? t('common.adminOnly') : t('common.manageOnly')}
    </Text>
  );
}

export function useRole() {
  const { data: me } = useMe();
  return { me, manage: can(me?.role, 'manage'), admin: can(me?.role, 'admin') };
}

/** Table wrapper state: loading, failed, empty. */
export function ListState({ loading, error, empty }: { loading: boolean; error: unknown; empty: boolean }) {
  const { t } = useTranslation('admin');
  if (loading) return <Text size="sm" c="dimmed">{t('common.loading')}</Text>;
  if (error) return <ErrorAlert message={error instanceof Error ? error.message : t('common.failed')} />;
  if (empty) return <Text size="sm" c="dimmed">{t('common.empty')}</Text>;
  return null;
}

/**
 * An outlined badge whose text is the colour's darkest shade: Mantine's light variant writes shade 6 on a pale
 * background, below the 4.5:1 contrast axe asks for.
 */
export function Tag({ color, children, size, testId }: { color: string; children: ReactNode; size?: string; testId?: string }) {
  return (
    <Badge variant="outline" color={color} size={size} data-testid={testId} styles={{ label: { color: `var(--mantine-color-${color}-9)` } }}>
      {children}
    </Badge>
  );
}

/** Mantine's Modal with a named close button (axe: button-name). */
export function AdminModal(props: ModalProps) {
  const { t } = useTranslation('admin');
  return <Modal {...props} closeButtonProps={{ 'aria-label': t('common.close'), ...props.closeButtonProps }} />;
}

/**
 * A screen's list: the loading/failed/empty state, then (when there are rows) a striped table named `label` with the
 * given column headings (false ones left out, for columns only some roles see) and one row per item. With `minWidth`
 * the table scrolls sideways inside a container below that width.
 */
export function AdminTable<T extends { id: Key }>(props: {
  label: string;
  items: T[] | undefined;
  /** The query the items come from: its loading and error state. */
  query: { isLoading: boolean; error: unknown };
  columns: (string | false)[];
  row: (item: T) => ReactNode;
  minWidth?: number;
  highlightOnHover?: boolean;
}) {
  const { items, minWidth } = props;
  const table = !!items?.length && (
    <Table aria-label={props.label} striped highlightOnHover={props.highlightOnHover}>
      <Table.Thead>
        <Table.Tr>
          {/* biome-ignore lint/suspicious/noArrayIndexKey: a table's columns are fixed; a hidden one stays in the list as false */}
          {props.columns.map((c, i) => c !== false && <Table.Th key={i}>{c}</Table.Th>)}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.id}>{props.row(item)}</Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <>
      <ListState loading={props.query.isLoading} error={props.query.error} empty={!items?.length} />
      {table && <ScrollX label={props.label}>{minWidth ? <div style={{ minWidth }}>{table}</div> : table}</ScrollX>}
    </>
  );
}

/** The last cell of a row: its buttons side by side. */
export function ActionsCell({ children }: { children: ReactNode }) {
  return (
    <Table.Td>
      <Group gap="xs" wrap="nowrap">
        {children}
      </Group>
    </Table.Td>
  );
}

/** A small button in a table row, named "<label>: <what>" so each row's button has its own accessible name. */
export function RowButton({ label, what, onClick }: { label: string; what: string; onClick: () => void }) {
  return (
    <Button size="xs" variant="default" onClick={onClick} aria-label={`${label}: ${what}`}>
      {label}
    </Button>
  );
}

/** The last cell of a row with an Edit button and a confirmed remove (or delete) button, both named after the row. */
export function EditRemoveCell(props: { what: string; onEdit: () => void; removeLabel: string; title: string; message: ReactNode; onRemove: () => Promise<unknown> }) {
  const { t } = useTranslation('admin');
  return (
    <ActionsCell>
      <RowButton label={t('common.edit')} what={props.what} onClick={props.onEdit} />
      <RowConfirmButton label={props.removeLabel} what={props.what} title={props.title} message={props.message} onConfirm={props.onRemove} />
    </ActionsCell>
  );
}

/** A row's confirmed action (remove, delete, revoke, disable): the button and the confirm button both say `label`. */
export function RowConfirmButton(props: { label: string; what: string; title: string; message: ReactNode; onConfirm: () => Promise<unknown>; disabled?: boolean }) {
  return (
    <ConfirmButton
      label={props.label}
      buttonProps={{ 'aria-label': `${props.label}: ${props.what}` }}
      disabled={props.disabled}
      title={props.title}
      message={props.message}
      confirmLabel={props.label}
      onConfirm={props.onConfirm}
    />
  );
}

/** A form whose submit (button or Enter) runs `onSubmit` instead of reloading the page. */
export function SubmitForm({ onSubmit, children }: { onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/**
 * A form in a modal: the fields, the error no field claims, then Cancel and the submit button. Submitting runs
 * `save.mutate()`.
 */
export function ModalForm(props: {
  save: { mutate: (input: undefined) => void; isPending: boolean };
  error?: string;
  submitLabel: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation('admin');
  return (
    <SubmitForm onSubmit={() => props.save.mutate(undefined)}>
      <Stack>
        {props.children}
        <ErrorAlert message={props.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={props.save.isPending}>{props.submitLabel}</Button>
        </Group>
      </Stack>
    </SubmitForm>
  );
}

/**
 * The add/edit modal of a list: open while `editing` is 'new' or an item, titled `addTitle` or `editTitle`; `form`
 * gets the item (null when adding) and a function that closes the modal.
 */
export function EditModal<T>(props: {
  editing: T | 'new' | null;
  setEditing: (v: T | 'new' | null) => void;
  addTitle: string;
  editTitle: string;
  size?: ModalProps['size'];
  form: (item: T | null, close: () => void) => ReactNode;
}) {
  const { editing, setEditing } = props;
  const close = () => setEditing(null);
  return (
    <AdminModal size={props.size} opened={editing !== null} onClose={close} title={editing === 'new' ? props.addTitle : props.editTitle}>
      {editing !== null && props.form(editing === 'new' ? null : editing, close)}
    </AdminModal>
  );
}

/**
 * A create modal that, once the server answers with a secret (API token, webhook signing secret), shows it once in
 * place of the form. `open` resets it for the next creation.
 */
export function useSecretModal() {
  const [opened, setOpened] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  return {
    opened,
    secret,
    setSecret,
    open: () => {
      setSecret(null);
      setOpened(true);
    },
    close: () => setOpened(false),
  };
}

export function SecretModal(props: {
  state: ReturnType<typeof useSecretModal>;
  title: string;
  createdTitle: string;
  notice: string;
  label: string;
  testId: string;
  hint: string;
  form: (onCreated: (secret: string) => void, onClose: () => void) => ReactNode;
}) {
  const { opened, secret, setSecret, close } = props.state;
  return (
    <AdminModal opened={opened} onClose={close} title={secret ? props.createdTitle : props.title}>
      {opened &&
        (secret ? (
          <ShownOnce notice={props.notice} value={secret} label={props.label} testId={props.testId} hint={props.hint} onDone={close} />
        ) : (
          props.form(setSecret, close)
        ))}
    </AdminModal>
  );
}

/** A secret shown once after it was created (API token, webhook signing secret), with a copy button and a Done button. */
export function ShownOnce(props: { notice: string; value: string; label: string; testId: string; hint: string; onDone: () => void }) {
  const { t } = useTranslation('admin');
  return (
    <Stack>
      <Alert color="yellow" title={t('common.shownOnce')}>{props.notice}</Alert>
      <CopyValue value={props.value} label={props.label} testId={props.testId} />
      <Text size="xs" c="dimmed">{props.hint}</Text>
      <Group justify="flex-end">
        <Button onClick={props.onDone}>{t('common.done')}</Button>
      </Group>
    </Stack>
  );
}

/** A settings form's save button, with "Saved" beside it once the last save went through. */
export function SaveRow({ label, pending, saved }: { label: string; pending: boolean; saved: boolean }) {
  const { t } = useTranslation('admin');
  return (
    <Group>
      <Button type="submit" loading={pending}>{label}</Button>
      {saved && <Text size="sm" c="teal.9" role="status">{t('common.saved')}</Text>}
    </Group>
  );
}
