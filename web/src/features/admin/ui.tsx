/** Small building blocks shared by the administration screens: field errors from the API, confirmations, copy boxes. */
import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Text, Title, type ButtonProps, type ModalProps } from '@mantine/core';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api';
import { can, useMe } from '../../lib/session';

/** The API's field path without the request part: "body/email" → "email", "topics/0/key" stays. */
export function errorField(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined;
  return err.field.replace(/^(body|querystring|params)\/?/, '') || undefined;
}

/** The server's message without the "field: " it starts with (the form shows it next to that field). */
function errorText(err: ApiError): string {
  const f = err.field ?? '';
  for (const prefix of [f, errorField(err) ?? '']) if (prefix && err.message.startsWith(prefix + ': ')) return err.message.slice(prefix.length + 2);
  return err.message;
}

/**
 * Maps an API error onto a form: `fe('email')` is the message for that field (or a field below it, such as
 * businessHours/week/mon), `rest` the message no shown field claims, for an alert above the buttons.
 */
export function useFieldErrors(err: unknown, fields: string[]) {
  const { t } = useTranslation('admin');
  const field = errorField(err);
  const owner = field ? fields.find((f) => field === f || field.startsWith(f + '/')) : undefined;
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
