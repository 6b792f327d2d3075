/** Routes. Screens are loaded on demand, so the inbox does not download the dashboards' charts. */
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { useMe } from './lib/session';
import { Shell } from './Shell';
import { LoginPage } from './features/auth/LoginPage';
import { SetPasswordPage } from './features/auth/SetPasswordPage';

const InboxPage = lazy(() => import('./features/inbox/InboxPage'));
const ConversationPage = lazy(() => import('./features/inbox/ConversationPage'));
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage'));
const WallPage = lazy(() => import('./features/dashboard/WallPage'));
const AdminPage = lazy(() => import('./features/admin/AdminPage'));
const LeadersPage = lazy(() => import('./features/leaders/LeadersPage'));
const RespectPage = lazy(() => import('./features/respect/RespectPage'));
const HeartPage = lazy(() => import('./features/heart/HeartPage'));
const SatisfactionPage = lazy(() => import('./features/csat/SatisfactionPage'));
const KnowledgePage = lazy(() => import('./features/knowledge/KnowledgePage'));
const CommunityPage = lazy(() => import('./features/community/CommunityPage'));

const Loading = () => (
  <Center h="60vh">
    <Loader role="status" aria-label="loading" />
  </Center>
);

export function App() {
  const { data: me, isLoading } = useMe();
  // The invitation / reset link's page works signed in or out (the link is for whoever holds the mail).
  if (window.location.pathname === '/set-password') return <SetPasswordPage />;
  if (isLoading) return <Loading />;
  if (!me) return <LoginPage />;
  return (
    <BrowserRouter>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route element={<Shell />}>
            <Route index element={<Navigate to="/inbox" replace />} />
            <Route path="/inbox/:view?" element={<InboxPage />} />
            <Route path="/conversations/:id" element={<ConversationPage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/wall" element={<WallPage />} />
            <Route path="/admin/*" element={<AdminPage />} />
            <Route path="/leaders/*" element={<LeadersPage />} />
            <Route path="/respect/*" element={<RespectPage />} />
            <Route path="/heart/*" element={<HeartPage />} />
            <Route path="/satisfaction" element={<SatisfactionPage />} />
            <Route path="/knowledge/*" element={<KnowledgePage />} />
            <Route path="/community/*" element={<CommunityPage />} />
            <Route path="*" element={<Navigate to="/inbox" replace />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
