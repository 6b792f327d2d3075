/**
 * Administration: a side list of sections (links, so the keyboard and the browser's back button work) and one screen
 * per section. Sections the role may not use are left out; supervisors manage queues, teams, SLA and macros and see
 * users and mailboxes; only admins change users, mailboxes, the web form, webhooks, tokens and the account, and read the audit log.
 */
import { Box, Flex, NavLink, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';
import { can, useMe, type Role } from '../../lib/session';
import { UsersScreen } from './UsersScreen';
import { TeamsScreen } from './TeamsScreen';
import { QueuesScreen } from './QueuesScreen';
import { SlaScreen } from './SlaScreen';
import { ChannelsScreen } from './ChannelsScreen';
import { MacrosScreen } from './MacrosScreen';
import { WebhooksScreen } from './WebhooksScreen';
import { TokensScreen } from './TokensScreen';
import { DefinitionsScreen } from './DefinitionsScreen';
import { AuditScreen } from './AuditScreen';
import { AccountScreen } from './AccountScreen';

type Cap = 'manage' | 'admin';
const SECTIONS: { path: string; cap: Cap; element: React.ReactNode }[] = [
  { path: 'users', cap: 'manage', element: <UsersScreen /> },
  { path: 'teams', cap: 'manage', element: <TeamsScreen /> },
  { path: 'queues', cap: 'manage', element: <QueuesScreen /> },
  { path: 'sla', cap: 'manage', element: <SlaScreen /> },
  { path: 'channels', cap: 'manage', element: <ChannelsScreen /> },
  { path: 'macros', cap: 'manage', element: <MacrosScreen /> },
  { path: 'webhooks', cap: 'admin', element: <WebhooksScreen /> },
  { path: 'tokens', cap: 'admin', element: <TokensScreen /> },
  { path: 'definitions', cap: 'manage', element: <DefinitionsScreen /> },
  { path: 'account', cap: 'admin', element: <AccountScreen /> },
  { path: 'audit', cap: 'admin', element: <AuditScreen /> },
];

export const sectionsFor = (role: Role | undefined) => SECTIONS.filter((s) => can(role, s.cap));

export default function AdminPage() {
  const { t } = useTranslation('admin');
  const { data: me } = useMe();
  const loc = useLocation();
  const sections = sectionsFor(me?.role);
  const active = (path: string) => loc.pathname === `/admin/${path}` || loc.pathname.startsWith(`/admin/${path}/`);
  if (!sections.length) return <Navigate to="/inbox" replace />;
  return (
    <>
      <Title order={1} size="h3" mb="md">{t('title')}</Title>
      <Flex gap="lg" direction={{ base: 'column', sm: 'row' }} align="flex-start">
        <Box component="nav" aria-label={t('sections')} w={{ base: '100%', sm: 200 }} style={{ flexShrink: 0 }}>
          {sections.map((s) => (
            <NavLink
              key={s.path}
              component={RouterLink}
              to={`/admin/${s.path}`}
              label={t(`nav.${s.path}`)}
              color="teal"
              styles={active(s.path) ? { label: { color: 'var(--mantine-color-black)', fontWeight: 600 } } : undefined}
              active={active(s.path)}
            />
          ))}
        </Box>
        <Box style={{ flex: 1, minWidth: 0 }} w="100%">
          <Routes>
            <Route index element={<Navigate to={sections[0].path} replace />} />
            {sections.map((s) => (
              <Route key={s.path} path={`${s.path}/*`} element={s.element} />
            ))}
            <Route path="*" element={<Navigate to={`/admin/${sections[0].path}`} replace />} />
          </Routes>
        </Box>
      </Flex>
    </>
  );
}
