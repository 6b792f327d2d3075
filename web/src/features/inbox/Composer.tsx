/**
 * The reply composer: reply or internal note, macros (rendered for this conversation by the server), attachments
 * (base64 in the JSON body), send-and-set-status, Ctrl+Enter to send. It remembers the newest message when the agent
 * started writing and sends it as lastSeenMessageId: a 409 (someone wrote meanwhile) shows the new messages and
 * offers "send anyway". On chat conversations the visitor sees the agent typing.
 */
import { forwardRef, useEffect, useRef, useState } from 'react';
import { Alert, Button, FileInput, Group, Paper, Select, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../lib/api';
import { STATUSES, useMacros, type Conversation, type Macro, type MacroPreview, type Message } from './api';
import { ArticlePicker } from '../knowledge/ArticlePicker';

const toBase64 = (f: File) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(f);
  });

const lastMessageId = (c: Conversation) => [...c.messages].reverse().find((m) => m.kind === 'message')?.id;

export const Composer = forwardRef<HTMLTextAreaElement, { conv: Conversation; onWriting: (writing: boolean) => void }>(function Composer({ conv, onWriting }, ref) {
  const { t, i18n } = useTranslation('inbox');
  const qc = useQueryClient();
  const macros = useMacros();
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [thenStatus, setThenStatus] = useState<string | null>(null);
  const [macro, setMacro] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [collision, setCollision] = useState<Message[] | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [langWarning, setLangWarning] = useState<string | null>(null);
  const convLang = conv.language ?? conv.customer?.language ?? null;
  const langName = (l: string) => {
    try {
      return new Intl.DisplayNames([i18n.language], { type: 'language' }).of(l) ?? l;
    } catch {
      return l;
    }
  };
  // Macros in the conversation's language (and those for any language) first, the others after, named with their language.
  const macroLabel = (m: Macro) => `${m.name}${m.kind === 'note' ? ` (${t('composer.noteShort')})` : ''}`;
  const allMacros = macros.data?.items ?? [];
  const fits = (m: Macro) => !m.language || !convLang || m.language === convLang;
  const macroData = convLang
    ? [
        { group: t('composer.macrosIn', { language: langName(convLang) }), items: allMacros.filter(fits).sort((a, b) => Number(!a.language) - Number(!b.language)).map((m) => ({ value: m.id, label: macroLabel(m) })) },
        { group: t('composer.macrosOther'), items: allMacros.filter((m) => !fits(m)).map((m) => ({ value: m.id, label: `${macroLabel(m)} · ${langName(m.language!)}` })) },
      ].filter((g) => g.items.length)
    : allMacros.map((m) => ({ value: m.id, label: macroLabel(m) }));
  const seen = useRef<string | undefined>(undefined);
  const typing = useRef({ on: false, at: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const chat = conv.channel === 'chat';
  const closed = conv.status === 'closed' || !!conv.mergedInto;

  const setTyping = (on: boolean) => {
    if (!chat || note) return;
    const s = typing.current;
    clearTimeout(s.timer);
    if (on) s.timer = setTimeout(() => setTyping(false), 4000);
    if (on === s.on && (!on || Date.now() - s.at < 3000)) return;
    s.on = on;
    s.at = Date.now();
    void post(`/conversations/${conv.id}/typing`, { on }).catch(() => {});
  };
  useEffect(() => () => {
    clearTimeout(typing.current.timer);
    if (typing.current.on) void post(`/conversations/${conv.id}/typing`, { on: false }).catch(() => {});
  }, [conv.id]);

  const change = (v: string) => {
    if (!text && v) seen.current = lastMessageId(conv);
    if (!v.trim()) setLangWarning(null);
    setText(v);
    setSent(null);
    onWriting(!!v.trim());
    setTyping(!!v);
  };

  const insertMacro = async (id: string | null) => {
    setMacro(null);
    if (!id) return;
    try {
      const r = await get<MacroPreview>(`/conversations/${conv.id}/macros/${id}`);
      change(text ? `${text.trimEnd()}\n\n${r.text}` : r.text);
      if (r.kind === 'note') setNote(true);
      if (r.actions?.status) setThenStatus(r.actions.status);
      // A reply macro in another language than the conversation's goes in, with a warning the agent cannot miss.
      setLangWarning(r.kind === 'reply' && r.language && convLang && r.language !== convLang
        ? t('composer.macroLanguage', { macro: langName(r.language), conversation: langName(convLang) }) : null);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail ?? e.message : t('error.generic'));
    }
  };

  const send = async (force = false) => {
    if (!text.trim() && !files.length) return;
    setBusy(true);
    setError(null);
    try {
      const attachments = await Promise.all(
        files.map(async (f) => ({ filename: f.name, contentType: f.type || 'application/octet-stream', contentBase64: await toBase64(f) })),
      );
      const body: Record<string, unknown> = { text, ...(attachments.length ? { attachments } : {}) };
      if (note) await post(`/conversations/${conv.id}/notes`, body);
      else
        await post(`/conversations/${conv.id}/replies`, {
          ...body,
          ...(thenStatus ? { status: thenStatus } : {}),
          ...(seen.current ? { lastSeenMessageId: seen.current } : {}),
          ...(force ? { force: true } : {}),
        });
      setTyping(false);
      setText('');
      setFiles([]);
      setThenStatus(null);
      setCollision(null);
      setLangWarning(null);
      setSent(note ? t('composer.noteAdded') : t('composer.sent'));
      onWriting(false);
      seen.current = undefined;
      await qc.invalidateQueries({ queryKey: ['conversation', conv.id] });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
      // The journey sidebar: this reply ends the customer's wait.
      void qc.invalidateQueries({ queryKey: ['customer', conv.customerId] });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'newer_messages') {
        const fresh = await qc.fetchQuery({ queryKey: ['conversation', conv.id], queryFn: () => get<Conversation>(`/conversations/${conv.id}`) });
        const i = fresh.messages.findIndex((m) => m.id === seen.current);
        setCollision(fresh.messages.slice(i + 1).filter((m) => m.kind === 'message'));
      } else setError(e instanceof ApiError ? e.detail ?? e.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="composer-title" bg={note ? 'yellow.0' : undefined}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h5" id="composer-title">{note ? t('composer.noteTitle') : t('composer.replyTitle')}</Title>
            <Switch label={t('composer.internalNote')} checked={note} onChange={(e) => setNote(e.currentTarget.checked)} />
          </Group>
          {collision && (
            <Alert color="orange" role="alert" title={t('composer.collisionTitle', { count: collision.length })}>
              <Stack gap={4}>
                {collision.map((m) => (
                  <Text key={m.id} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    — {m.text.slice(0, 300)}
                  </Text>
                ))}
                <Group gap="xs" mt={4}>
                  <Button size="xs" color="orange" onClick={() => void send(true)} loading={busy}>{t('composer.sendAnyway')}</Button>
                  <Button size="xs" variant="default" onClick={() => { seen.current = lastMessageId(conv); setCollision(null); }}>
                    {t('composer.reviewFirst')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          <Textarea
            ref={ref}
            label={note ? t('composer.noteLabel') : t('composer.replyLabel')}
            autosize
            minRows={4}
            maxRows={14}
            value={text}
            disabled={closed}
            onChange={(e) => change(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void send();
              }
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
            description={t('composer.hint')}
          />
          <Group gap="xs" align="flex-end" wrap="wrap">
            <Select
              size="xs"
              w={200}
              label={t('composer.macro')}
              placeholder={t('composer.macroHint')}
              searchable
              clearable
              value={macro}
              onChange={(v) => void insertMacro(v)}
              data={macroData}
              nothingFoundMessage={t('composer.noMacros')}
            />
            <ArticlePicker language={conv.language ?? conv.customer?.language ?? null} disabled={closed} onInsert={(s) => change(text ? `${text.trimEnd()}\n\n${s}` : s)} />
            <FileInput size="xs" w={200} label={t('composer.attachments')} aria-description={t('composer.attachHint')} multiple clearable value={files} onChange={setFiles} />
            {!note && (
              <Select
                size="xs"
                w={170}
                label={t('composer.thenStatus')}
                // "Keep status" is an option, not only the clear button (which Mantine hides from keyboards and screen readers).
                allowDeselect={false}
                value={thenStatus ?? 'keep'}
                onChange={(v) => setThenStatus(!v || v === 'keep' ? null : v)}
                data={[{ value: 'keep', label: t('composer.keepStatus') }, ...STATUSES.filter((s) => s !== 'closed' && s !== 'new').map((s) => ({ value: s, label: t(`status.${s}`) }))]}
              />
            )}
            <Button type="submit" loading={busy} disabled={closed || (!text.trim() && !files.length)} color={note ? 'yellow' : undefined} autoContrast>
              {note ? t('composer.addNote') : thenStatus ? t('composer.sendAnd', { status: t(`status.${thenStatus}`) }) : t('composer.send')}
            </Button>
          </Group>
          {langWarning && <Alert color="orange" role="alert" data-testid="macro-language-warning">{langWarning}</Alert>}
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <Text size="xs" c="teal.9" aria-live="polite">{sent ?? ''}</Text>
        </Stack>
      </form>
    </Paper>
  );
});
