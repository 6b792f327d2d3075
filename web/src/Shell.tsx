/** The frame around every screen: navigation, presence, language, sign-out; the realtime socket lives here. */
import { AppShell, Burger, Group, NavLink, SegmentedControl, Select, Text, Button, Badge, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { put } from './lib/api';
import { LANGS } from './lib/i18n';
import { can, useMe, useSignOut } from './lib/session';
import { useRealtime } from './lib/realtime';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('nav.language')}
      value={i18n.language}
      onChange={(l) => void i18n.changeLanguage(l)}
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
  const [opened, { toggle }] = useDisclosure();
  const connected = useRealtime(!!me);
  const loc = useLocation();
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
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Text fw={700}>Earshot</Text>
            <Text c="dimmed" size="sm" visibleFrom="sm">{me?.account.name}</Text>
            <Tooltip label={connected ? t('nav.live') : t('nav.offline')}>
              <Badge size="xs" variant="dot" color={connected ? 'teal' : 'gray'}>{connected ? t('nav.live') : t('nav.offline')}</Badge>
            </Tooltip>
          </Group>
          <Group wrap="nowrap" gap="xs">
            <PresenceSelect />
            <LanguageSwitch />
            <Text size="sm" visibleFrom="md">{me?.user?.name}</Text>
            <Button size="xs" variant="default" onClick={() => void signOut()}>{t('nav.signOut')}</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.main')}>
        {links.filter((l) => l.show).map((l) => (
          <NavLink key={l.to} component={RouterLink} to={l.to} label={l.label} active={loc.pathname.startsWith(l.to) || (!!l.also && loc.pathname.startsWith(l.also))} variant="filled" />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
