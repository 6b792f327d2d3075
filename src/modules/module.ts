/**
 * The one module contract. Every folder under src/modules/ (and every channel under src/modules/channels/) has an
 * index.ts that default-exports an `EarshotModule` and re-exports what other modules may use (its public face).
 * src/modules/index.ts lists them in registration order (MODULES); the server, the CLI and the demo seeder loop over
 * that list. Types only, importing no module: a module's index.ts imports its contract from here, never from the list.
 */
import type { Command } from 'commander';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../server/types.js';
import type { Ctx } from '../platform/context.js';
import type { JobRunner } from '../platform/jobs.js';

/** A running listener started by a module's `start` (SMTP port, IMAP poller, AMI client…). */
export interface ModuleHandle {
  name: string;
  /** One line for the start banner, e.g. "SMTP on 0.0.0.0:2525". */
  info: string;
  stop(): Promise<void>;
}

/** What the demo seeder has created when it calls a module's `demo`. */
export interface DemoSeed {
  accountId: string;
  /** user id by e-mail address (admin@, ingrid@ leader, martin@ supervisor, lena@/ola@/sam@ agents @demo.earshot.test) */
  users: Record<string, string>;
  queues: Record<'de' | 'no' | 'en', string>;
  teams: Record<'de' | 'no' | 'en', string>;
}

/**
 * A Fastify plugin with the TypeBox type provider. Route files write theirs as `async function (app: App)` with `App`
 * from src/server/types.ts (never from app.ts), which is one of these.
 */
export type ModulePlugin = FastifyPluginAsyncTypebox;

export interface EarshotModule {
  /** Short name, unique in MODULES (used in failure messages and the table-ownership test). */
  name: string;
  /** The database tables this module owns: only its SQL writes them (test/table-ownership.test.ts). */
  tables?: readonly string[];
  /** Routes, registered under /api/v1 (public ones set `config: { auth: false }`). */
  routes?: ModulePlugin;
  /** Pages, registered at the root after the API (widget.js, portal, forms, survey pages). */
  pages?: ModulePlugin;
  /** Registers the module's job handlers (`runner.on(kind, …)`); runs in buildApp, before any route. */
  jobs?: (runner: JobRunner, ctx: Ctx) => void;
  /** Starts listeners once the server listens (`earshot serve`); the handles are stopped in reverse order. */
  start?: (app: App) => Promise<ModuleHandle[]>;
  /** Runs when the app closes (tests and `earshot serve` alike): release what lives outside `start`'s handles. */
  close?: () => void | Promise<void>;
  /**
   * Adds the module's `earshot` subcommands. Commands that open the database use `dbOptions`/`withDb` from
   * src/platform/cli-db.ts (shared with src/cli/main.ts); a module never imports src/cli/.
   */
  cli?: (program: Command) => void;
  /** Adds the module's demo data to the freshly created demo account (runs once, after the stories). */
  demo?: (ctx: Ctx, seed: DemoSeed) => Promise<void>;
}
