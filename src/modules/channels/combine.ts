/** `combine`: one module made of several parts (the email channel: inbound and outbound), each part of the contract. */
import type { EarshotModule, ModuleHandle } from '../module.js';

export type ModulePart = Omit<EarshotModule, 'name' | 'tables' | 'demo'>;

export function combine(...parts: ModulePart[]): Required<ModulePart> {
  return {
    routes: async (api) => {
      for (const m of parts) if (m.routes) await api.register(m.routes);
    },
    pages: async (app) => {
      for (const m of parts) if (m.pages) await app.register(m.pages);
    },
    jobs: (runner, ctx) => {
      for (const m of parts) m.jobs?.(runner, ctx);
    },
    start: async (app) => {
      const out: ModuleHandle[] = [];
      for (const m of parts) if (m.start) out.push(...(await m.start(app)));
      return out;
    },
    close: async () => {
      for (const m of parts) await m.close?.();
    },
    cli: (program) => {
      for (const m of parts) m.cli?.(program);
    },
  };
}
