import type { Db, Queryable } from './db.js';
import type { Config } from './config.js';
import { forbidden } from './errors.js';

export type Role = 'agent' | 'supervisor' | 'leader' | 'admin';
export const ROLES: Role[] = ['agent', 'supervisor', 'leader', 'admin'];

/** Who is asking: a signed-in user (session cookie) or an API token; always bound to one account. */
export interface Principal {
  accountId: string;
  role: Role;
  kind: 'user' | 'token' | 'system' | 'cli';
  userId: string | null;
  tokenId: string | null;
  ip?: string;
}

/** What each role may do. Leaders see everything a supervisor sees (reports, queues) but administer nothing. */
export type Capability =
  | 'conversations' // read and work conversations, customers, macros (use)
  | 'manage' // queues, teams, SLA policies, macros, assigning others, merging customers, contact events
  | 'reports' // metrics and the audit of what customers lived
  | 'admin'; // users, tokens, webhooks, account settings, audit log

const CAPS: Record<Role, Capability[]> = {
  agent: ['conversations'],
  supervisor: ['conversations', 'manage', 'reports'],
  leader: ['conversations', 'reports'],
  admin: ['conversations', 'manage', 'reports', 'admin'],
};

export const can = (p: Principal, cap: Capability) => CAPS[p.role].includes(cap);
export function requireCap(p: Principal, cap: Capability) {
  if (!can(p, cap)) throw forbidden(`The role '${p.role}' may not do this (needs '${cap}')`);
}

export interface Ctx {
  db: Db;
  config: Config;
  /** Injectable clock: tests move time to check SLAs and expiry. */
  now(): Date;
}

export type Tx = Queryable;

export const systemPrincipal = (accountId: string, kind: 'system' | 'cli' = 'system'): Principal => ({
  accountId,
  role: 'admin',
  kind,
  userId: null,
  tokenId: null,
});
