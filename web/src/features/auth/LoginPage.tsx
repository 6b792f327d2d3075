import { useState } from 'react';
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';
import { LanguageSwitch } from '../../Shell';
import { LANGS } from '../../lib/i18n';
import type { ApiOk } from '../../api/types';

/** "Forgot password?": asks for a reset link; the answer is the same whether or not the address has an account. */
function ForgotPassword({ initialEmail, onBack }: { initialEmail: string; onBack: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(initialEmail);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/auth/password/forgot', { email: email.trim() });
      setSentTo(email.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('login.tooMany') : err instanceof ApiError && err.status === 400 ? t('forgot.badEmail') : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="forgot-title">
      <Stack>
        <Title order={1} size="h2" id="forgot-title">{t('forgot.title')}</Title>
        {sentTo ? (
          <Alert color="teal" role="status">{t('forgot.sent', { email: sentTo })}</Alert>
        ) : (
          <>
            <Text c="dimmed" size="sm">{t('forgot.intro')}</Text>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <TextInput label={t('login.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
            <Button type="submit" loading={busy}>{t('forgot.submit')}</Button>
          </>
        )}
        <Anchor component="button" type="button" onClick={onBack}>{t('forgot.back')}</Anchor>
        <LanguageSwitch />
      </Stack>
    </form>
  );
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<ApiOk<'/api/v1/auth/login', 'post'>>('/auth/login', { email, password });
      // The profile's language wins at sign-in (Lena and Martin: German, Ingrid and Ola: Norwegian), whatever this
      // browser showed before; the switch in the header changes it again and saves it in the profile.
      if (r.user?.locale && (LANGS as readonly string[]).includes(r.user.locale)) await i18n.changeLanguage(r.user.locale);
      await qc.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.wrong') : err instanceof ApiError && err.code === 'login_locked' ? t('login.locked') : err instanceof ApiError && err.status === 429 ? t('login.tooMany') : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center h="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="100%">
        {forgot ? (
          <ForgotPassword initialEmail={email} onBack={() => setForgot(false)} />
        ) : (
          <form onSubmit={submit} aria-labelledby="login-title">
            <Stack>
              <Title order={1} size="h2" id="login-title">Earshot</Title>
              <Text c="dimmed" size="sm">{t('login.intro')}</Text>
              {error && <Alert color="red" role="alert">{error}</Alert>}
              <TextInput label={t('login.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
              <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Button type="submit" loading={busy}>{t('login.submit')}</Button>
              <Anchor component="button" type="button" size="sm" onClick={() => setForgot(true)}>{t('login.forgot')}</Anchor>
              <LanguageSwitch />
            </Stack>
          </form>
        )}
      </Paper>
    </Center>
  );
}
