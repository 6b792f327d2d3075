import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';
import { LanguageSwitch } from '../../Shell';
import { LANGS } from '../../lib/i18n';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ user: { locale?: string } }>('/auth/login', { email, password });
      // The profile's language wins at sign-in (Lena and Martin: German, Ingrid and Ola: Norwegian), whatever this
      // browser showed before; the switch in the header changes it again and saves it in the profile.
      if (r.user?.locale && (LANGS as readonly string[]).includes(r.user.locale)) await i18n.changeLanguage(r.user.locale);
      await qc.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.wrong') : err instanceof ApiError && err.status === 429 ? t('login.tooMany') : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center h="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} aria-labelledby="login-title">
          <Stack>
            <Title order={1} size="h2" id="login-title">Earshot</Title>
            <Text c="dimmed" size="sm">{t('login.intro')}</Text>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <TextInput label={t('login.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
            <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>{t('login.submit')}</Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
