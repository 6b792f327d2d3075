/** What a channel module exports (see ./index.ts), and `combine` for a channel made of several parts. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../server/types.js';
import type { Ctx } from '../../platform/context.js';
import type { JobRunner } from '../../platform/jobs.js';
import type { Command } from 'commander';

export interface ChannelHandle {
  name: string;
  /** One line for the start banner, e.g. "SMTP on 0.0.0.0:2525". */
  info: string;
  stop(): Promise<void>;
}

export interface ChannelModule {
  /** Route plugins, typed through Fastify's own plugin type (registered under /api/v1, and at / for pages). */
  routes?: FastifyPluginAsyncTypebox;
  pages?: FastifyPluginAsyncTypebox;
  jobs?: (runner: JobRunner, ctx: Ctx) => void;
  start?: (app: App) => Promise<ChannelHandle[]>;
  cli?: (program: Command) => void;
}

/** One channel made of several parts (email: inbound and outbound), each a ChannelModule. */
export function combine(...parts: ChannelModule[]): Required<ChannelModule> {
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
      const out: ChannelHandle[] = [];
      for (const m of parts) if (m.start) out.push(...(await m.start(app)));
      return out;
    },
    cli: (program) => {
      for (const m of parts) m.cli?.(program);
    },
  };
}

