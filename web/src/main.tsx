import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@mantine/core/styles.css';
import './lib/i18n';
import { App } from './App';
import { variantColorResolver } from './lib/contrast';
import { ApiError } from './lib/api';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: (n, e) => n < 2 && !(e instanceof ApiError && e.status >= 400 && e.status < 500), refetchOnWindowFocus: false } },
});
// Contrast (WCAG AA, checked by axe-core in the e2e run): white on teal needs shade 9; dimmed text is gray 7, not 6.
// Light variants: a pale tint behind a dark shade of the same colour, at 4.5:1 at least (lib/contrast.ts).
const theme = createTheme({ primaryColor: 'teal', primaryShade: { light: 9, dark: 8 }, defaultRadius: 'sm', variantColorResolver });
const cssVariablesResolver = () => ({ variables: {}, light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' }, dark: {} });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
