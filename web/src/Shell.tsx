/**
 * The frame around every screen: navigation, presence, language, sign-out; the realtime socket lives here. On a phone
 * (below `sm`) the header keeps the menu button, the name and the live mark; navigation, presence, language and
 * sign-out move into a drawer.
 */
import { useEffect } from 'react';
import { AppShell, Burger, Divider, Drawer, Group, NavLink, SegmentedControl, Select, Stack, Text, Button, Badge, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { api, put } from './lib/api';
import { LANGS, type Lang } from './lib/i18n';
import { usePhone } from './lib/layout';
import { can, useMe, useSignOut, type Me } from './lib/session';
import { useRealtime } from './lib/realtime';
import { UndoNotice } from './lib/undo';

/**
 * The language switch. Signed in, the choice is also saved in the user's profile (PUT /me/locale), which is the
 * language of every later sign-in; signed out (the sign-in page) it stays in this browser.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('nav.language')}
      value={i18n.language}
      onChange={(l) => {
        void i18n.changeLanguage(l);
        if (!me?.user) return;
        // keepalive: the choice is saved even when the user navigates away at once.
        void api('PUT', '/me/locale', { locale: l }, { keepalive: true }).then(
          () => qc.setQueryData<Me | null>(['me'], (m) => (m?.user ? { ...m, user: { ...m.user, locale: l as Lang } } : m)),
          () => {}, // not saved: the choice still holds in this browser (localStorage)
        );
      }}
      data={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}

function PresenceSelect() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  if (!me?.user) return null;
  return (
    <Select
      size="xs"
      w={140}
      aria-label={t('presence.label')}
      value={me.user.presence}
      allowDeselect={false}
      data={['available', 'busy', 'away', 'offline'].map((p) => ({ value: p, label: t(`presence.${p}`) }))}
      onChange={async (v) => {
        if (!v) return;
        await put('/me/presence', { presence: v });
        await qc.invalidateQueries({ queryKey: ['me'] });
      }}
    />
  );
}

export function Shell() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const signOut = useSignOut();
  const [opened, { toggle, close }] = useDisclosure();
  const connected = useRealtime(!!me);
  const loc = useLocation();
  const phone = usePhone();
  // Following a link closes the phone menu: the path is the effect's trigger, not a value it reads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation on purpose
  useEffect(() => close(), [loc.pathname, close]);
  const links = [
    { to: '/inbox', label: t('nav.inbox'), show: true, also: '/conversations' },
    { to: '/dashboard', label: t('nav.dashboard'), show: can(me?.role, 'reports') },
    { to: '/wall', label: t('nav.wall'), show: can(me?.role, 'reports') },
    { to: '/leaders', label: t('nav.leaders'), show: true },
    { to: '/respect', label: t('nav.respect'), show: true },
    { to: '/heart', label: t('nav.heart'), show: true },
    { to: '/knowledge', label: t('nav.knowledge'), show: true },
    { to: '/community', label: t('nav.community'), show: true },
    { to: '/satisfaction', label: t('nav.csat'), show: can(me?.role, 'reports') },
    { to: '/admin', label: t('nav.admin'), show: can(me?.role, 'manage') || can(me?.role, 'admin') },
  ];
  const navLinks = links.filter((l) => l.show).map((l) => (
    <NavLink key={l.to} component={RouterLink} to={l.to} label={l.label} active={loc.pathname.startsWith(l.to) || (!!l.also && loc.pathname.startsWith(l.also))} variant="filled" />
  ));
  return (
    <AppShell header={{ height: 52 }} navbar={phone ? undefined : { width: 210, breakpoint: 'sm' }} padding={phone ? 'xs' : 'md'}>
      <AppShell.Header>
        <Group h="100%" px={phone ? 'xs' : 'md'} justify="space-between" wrap="nowrap">
          <Group wrap="nowrap" gap={phone ? 'xs' : 'md'}>
            {phone && <Burger opened={opened} onClick={toggle} size="sm" aria-label={t('nav.menu')} aria-expanded={opened} />}
            <Text fw={700}>Earshot</Text>
            {!phone && <Text c="dimmed" size="sm">{me?.account.name}</Text>}
            <Tooltip label={connected ? t('nav.live') : t('nav.offline')}>
              <Badge size="xs" variant="dot" color={connected ? 'teal' : 'gray'}>{connected ? t('nav.live') : t('nav.offline')}</Badge>
            </Tooltip>
          </Group>
          {phone ? (
            <Text size="sm" truncate>{me?.user?.name}</Text>
          ) : (
            <Group wrap="nowrap" gap="xs">
              <PresenceSelect />
              <LanguageSwitch />
              <Text size="sm" visibleFrom="md">{me?.user?.name}</Text>
              <Button size="xs" variant="default" onClick={() => void signOut()}>{t('nav.signOut')}</Button>
            </Group>
          )}
        </Group>
      </AppShell.Header>
      {!phone && (
        <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.main')}>
          {navLinks}
        </AppShell.Navbar>
      )}
      {phone && (
        <Drawer opened={opened} onClose={close} size={300} title={me?.account.name ?? 'Earshot'} closeButtonProps={{ 'aria-label': t('nav.closeMenu') }}>
          <Stack gap="sm">
            <nav aria-label={t('nav.main')}>{navLinks}</nav>
            <Divider />
            <Text size="sm" fw={600}>{me?.user?.name}</Text>
            <PresenceSelect />
            <LanguageSwitch />
            <Button variant="default" onClick={() => void signOut()}>{t('nav.signOut')}</Button>
          </Stack>
        </Drawer>
      )}
      <AppShell.Main>
        <Outlet />
        <UndoNotice />
      </AppShell.Main>
    </AppShell>
  );
}
