/**
 * /set-password#token=…: the page an invitation or a reset email links to. The token stays in the URL's fragment (it
 * never reaches the server's logs); the page asks the API what the link is for, then lets the person choose a
 * password. Used, expired and unknown links say so and point to "Forgot password?".
 */
import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Center, Loader, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';
import { LANGS } from '../../lib/i18n';
import { LanguageSwitch } from '../../Shell';
import type { ApiOk } from '../../api/types';

/** What the link is for, and while it is valid who it is for. */
type TokenInfo = ApiOk<'/api/v1/auth/password/check', 'post'>;

const MIN = 10;

export function tokenFromLocation(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function SetPasswordPage() {
  const { t, i18n } = useTranslation();
  const [token] = useState(tokenFromLocation);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const info = useQuery({
    queryKey: ['password-token', token],
    queryFn: () => (token ? post<TokenInfo>('/auth/password/check', { token }) : Promise.resolve<TokenInfo>({ state: 'unknown' })),
    staleTime: Infinity,
    retry: false,
  });
  // The mail's ?lang= (the user's language) decides the page's language unless the person picked one here before.
  useEffect(() => {
    const lang = new URLSearchParams(window.location.search).get('lang');
    if (lang && (LANGS as readonly string[]).includes(lang) && lang !== i18n.language) void i18n.changeLanguage(lang);
  }, [i18n]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (password.length < MIN) return setProblem(t('setPassword.tooShort', { n: MIN }));
    if (password !== repeat) return setProblem(t('setPassword.mismatch'));
    setBusy(true);
    try {
      await post('/auth/password/set', { token, password });
      setDone(true);
      // The fragment held the token: drop it from the address bar and the history entry.
      window.history.replaceState(null, '', '/set-password');
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      setProblem(code === 'password_common' ? t('setPassword.common') : code === 'token_used' ? t('setPassword.used') : code === 'token_expired' ? t('setPassword.expired') : code === 'token_unknown' ? t('setPassword.unknown') : err instanceof ApiError && err.status === 429 ? t('login.tooMany') : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  const d = info.data;
  const signInLink = <Anchor href="/">{t('setPassword.toSignIn')}</Anchor>;
  let body: React.ReactNode;
  if (info.isLoading) body = <Center><Loader role="status" aria-label={t('setPassword.checking')} /></Center>;
  else if (done)
    body = (
      <>
        <Alert color="teal" role="status" title={t('setPassword.doneTitle')}>{t('setPassword.done')}</Alert>
        <Button component="a" href="/">{t('setPassword.signInNow')}</Button>
      </>
    );
  else if (d?.state !== 'valid')
    body = (
      <>
        <Alert color="red" role="alert">{t(`setPassword.${d?.state === 'used' || d?.state === 'expired' ? d.state : 'unknown'}`)}</Alert>
        {signInLink}
      </>
    );
  else
    body = (
      <form onSubmit={submit} aria-labelledby="set-password-title">
        <Stack>
          <Text>{t(d.purpose === 'invite' ? 'setPassword.inviteIntro' : 'setPassword.resetIntro', { name: d.name, account: d.account, email: d.email })}</Text>
          {problem && <Alert color="red" role="alert">{problem}</Alert>}
          {/* The address as a read-only username field, so password managers save the new password for it. */}
          <input type="email" name="username" autoComplete="username" value={d.email} readOnly hidden />
          <PasswordInput label={t('setPassword.password')} description={t('setPassword.help', { n: MIN })} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoFocus />
          <PasswordInput label={t('setPassword.repeat')} autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>{t('setPassword.submit')}</Button>
          {signInLink}
        </Stack>
      </form>
    );
  return (
    <Center mih="100vh" component="main" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h2" id="set-password-title">{t(d?.purpose === 'reset' ? 'setPassword.resetTitle' : d?.purpose === 'invite' ? 'setPassword.inviteTitle' : 'setPassword.title')}</Title>
          {body}
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}
