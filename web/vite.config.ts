import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The agent workspace, dashboards and administration. Built into dist/web, which `earshot serve` serves at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // ECharts is large and only the dashboards need it: its own chunk, loaded with them. tslib (shared by echarts
        // and the shell's scroll lock) gets its own tiny chunk first: a group takes in its dependencies, so without
        // this the inbox would preload the whole echarts chunk for three tslib helpers.
        codeSplitting: {
          groups: [
            { name: 'tslib', test: /node_modules[\\/]tslib[\\/]/, priority: 2 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
});
