/**
 * Modules own their tables. Every table created in migrations/*.sql has exactly one owner: a module (its `tables` in
 * its index.ts) or the platform (PLATFORM_TABLES). Only the owner's SQL writes a table (INSERT INTO, UPDATE, DELETE
 * FROM); another module writes through the owner's public functions. Reads (FROM, JOIN) of another module's tables are
 * allowed per module by READS below, with the reason. The SQL is read from the string literals of each module's .ts
 * files (src/demo/ counts as the module "demo", src/platform/ and src/server/ as "platform", src/cli/ as "cli").
 * Known gaps: a comma join (`FROM a, b`) names only its first table, and SQL built from pieces is read piece by piece.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { MODULES } from '../src/modules/index.js';
import { moduleName, moduleOf } from './module-boundaries.js';

const ROOT = resolve(import.meta.dirname, '..');

/** Tables of src/platform/ and src/server/ (the job queue, idempotent replays). */
const PLATFORM_TABLES = ['jobs', 'idempotency_keys'];

/** The tables each migration creates. */
export function createdTables(sql: string): string[] {
  const code = sql.replace(/--.*$/gm, '');
  return [...code.matchAll(/\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi)].map((m) => m[1].toLowerCase());
}

/** The string literals of a TypeScript source ('…', "…", `…` with its ${…} parts), comments skipped. */
export function stringLiterals(source: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i);
    else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i + 2) === -1 ? source.length : source.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out.push(source.slice(i + 1, j));
      i = j + 1;
    } else i++;
  }
  return out;
}

export interface TableUse {
  table: string;
  write: boolean;
}

/** Tables a piece of SQL writes (INSERT INTO, UPDATE, DELETE FROM) and reads (FROM, JOIN), among the known tables. */
export function tableUses(sql: string, known: Set<string>): TableUse[] {
  const uses: TableUse[] = [];
  for (const m of sql.matchAll(/\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM|JOIN)\s+(?:ONLY\s+)?([a-z_][a-z0-9_]*)/gi)) {
    const table = m[2].toLowerCase();
    if (!known.has(table)) continue;
    uses.push({ table, write: !/^(FROM|JOIN)$/i.test(m[1]) });
  }
  return uses;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(f) && !/\.(test|d)\.ts$/.test(f) ? [p] : [];
  });
}

/** Who a source file speaks for: its module's name, or demo / platform / cli. */
function speakerOf(file: string): string {
  const folder = moduleOf(file);
  if (folder) return moduleName(folder);
  if (file.startsWith('src/demo/')) return 'demo';
  if (file.startsWith('src/cli/')) return 'cli';
  return 'platform';
}

/** Every table use in src/, as { speaker, file, table, write }. */
function srcTableUses(known: Set<string>) {
  const rel = (p: string) => relative(ROOT, p).split(sep).join('/');
  return sourceFiles(join(ROOT, 'src')).flatMap((path) => {
    const file = rel(path);
    const speaker = speakerOf(file);
    return stringLiterals(readFileSync(path, 'utf8')).flatMap((s) => tableUses(s, known).map((u) => ({ speaker, file, ...u })));
  });
}

function owners(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (table: string, owner: string) => map.set(table, [...(map.get(table) ?? []), owner]);
  for (const m of MODULES) for (const t of m.tables ?? []) add(t, m.name);
  for (const t of PLATFORM_TABLES) add(t, 'platform');
  return map;
}

function migrationTables(): string[] {
  const dir = join(ROOT, 'migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .flatMap((f) => createdTables(readFileSync(join(dir, f), 'utf8')));
}

/**
 * Writes to another module's table that are being removed (issue 15 item 2): "writer table" pairs. The list only
 * shrinks: an entry that no longer happens fails the test, so it is removed with the write.
 */
const PENDING_CROSS_MODULE_WRITES: string[] = [
  // Empty: every module writes only its own tables. A new entry needs an entry point in the owner instead.
];

/**
 * Reads of other modules' tables, per module, and why. A report or a page that joins what it shows is fine; a new
 * read shows up here first, where a reviewer can ask whether the owner should offer a function instead.
 */
const READS: Record<string, { tables: string[]; why: string }> = {
  audit: { tables: ['conversations', 'customers', 'kb_articles', 'macros', 'mailboxes', 'queues', 'teams', 'users'], why: 'labels of audited objects (#number, name, address)' },
  changes: { tables: [], why: '' },
  conversations: { tables: ['accounts', 'customer_identities', 'customers', 'email_messages', 'message_findings', 'queues', 'users'], why: 'the conversation view joins its customer, queue, agents, findings and mail headers' },
  customers: { tables: ['callbacks', 'contact_facts', 'conversations', 'queues'], why: 'the customer timeline' },
  queues: { tables: ['accounts', 'conversations', 'team_members', 'teams', 'users'], why: 'picking an agent by load; queue figures; a new queue takes the account’s time zone' },
  macros: { tables: ['queues'], why: 'macros per queue' },
  events: { tables: ['conversations'], why: 'events of a conversation' },
  journeys: { tables: ['accounts', 'callbacks', 'chat_conversations', 'contact_events', 'conversations', 'customers', 'probes', 'queues', 'team_members', 'users'], why: 'waits reports and the live wall join what customers lived through' },
  channels: { tables: ['accounts', 'conversations', 'customer_identities', 'email_message_ids', 'email_messages', 'messages', 'users'], why: 'reply delivery threads with the conversation’s mail' },
  email: { tables: ['accounts', 'attachments', 'conversations', 'customer_identities', 'messages', 'queues'], why: 'threading inbound mail onto conversations; outbound mail of a reply' },
  chat: { tables: ['accounts', 'attachments', 'conversations', 'customers', 'messages', 'queues', 'team_members', 'users'], why: 'the visitor’s conversation and who is online' },
  portal: { tables: ['accounts', 'attachments', 'conversation_ratings', 'conversations', 'customer_identities', 'customers', 'messages', 'queues'], why: 'the portal shows a customer’s own conversations' },
  voice: { tables: ['accounts', 'contact_events', 'customer_identities', 'customers', 'queues', 'users'], why: 'mapping calls to customers, queues and agents' },
  listening: { tables: ['accounts', 'contact_facts', 'conversations', 'customer_identities', 'customers', 'messages', 'queues', 'users'], why: 'analysing messages; anecdotes against measured waits' },
  probes: { tables: ['accounts', 'contact_events', 'email_messages'], why: 'a probe’s contact and its answer' },
  leaders: { tables: ['accounts', 'conversations', 'customers', 'message_findings', 'messages', 'probes', 'queues', 'users'], why: 'the daily sample of real requests' },
  respect: { tables: ['accounts', 'conversations', 'customer_identities', 'customers', 'message_findings', 'messages', 'outbound_emails', 'queues', 'users'], why: 'measures against a customer’s conversations' },
  heart: { tables: ['accounts', 'conversations', 'customer_identities', 'customers', 'message_findings', 'team_members', 'teams', 'users'], why: 'exceptions and moments name conversations, customers and people' },
  csat: { tables: ['accounts', 'chat_conversations', 'contact_facts', 'conversations', 'customer_identities', 'customers', 'messages', 'probes', 'queues'], why: 'surveys through the conversation’s channel; answers joined to journeys' },
  knowledge: { tables: [], why: '' },
  community: { tables: ['accounts', 'users'], why: 'members and the agents who verify' },
  accounts: { tables: [], why: '' },
  webhooks: { tables: [], why: '' },
  simulate: { tables: [], why: '' },
  demo: { tables: ['accounts', 'outbound_emails', 'users'], why: 'finds the demo account and its passwords' },
};

test('every table in migrations/ has exactly one owner, and every owned table exists', () => {
  const created = migrationTables();
  assert.ok(created.length > 50, `expected the tables of migrations/, found ${created.length}`);
  const own = owners();
  const problems = [
    ...created.filter((t) => !own.has(t)).map((t) => `${t}: no owner (add it to the owning module's \`tables\` in its index.ts)`),
    ...[...own].filter(([, o]) => o.length > 1).map(([t, o]) => `${t}: owned by ${o.join(' and ')}`),
    ...[...own.keys()].filter((t) => !created.includes(t)).map((t) => `${t}: owned but created by no migration`),
  ];
  assert.deepEqual(problems, []);
});

test('every module folder has an index.ts and is registered in src/modules/index.ts', () => {
  const dir = join(ROOT, 'src/modules');
  const folders = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
  const channels = readdirSync(join(dir, 'channels')).filter((f) => statSync(join(dir, 'channels', f)).isDirectory());
  const names = [...folders, ...channels];
  const missing = [...folders.map((f) => `src/modules/${f}`), ...channels.map((c) => `src/modules/channels/${c}`)].filter((p) => {
    try {
      return !statSync(join(ROOT, p, 'index.ts')).isFile();
    } catch {
      return true;
    }
  });
  assert.deepEqual(missing, [], 'module folders without an index.ts');
  assert.deepEqual(MODULES.map((m) => m.name).sort(), names.sort(), 'MODULES names one module per folder');
});

test('a module writes only its own tables, and reads others only as READS allows', () => {
  const own = owners();
  const uses = srcTableUses(new Set(migrationTables()));
  const pending = new Set(PENDING_CROSS_MODULE_WRITES);
  const writes = new Map<string, string[]>();
  const reads = new Set<string>();
  for (const u of uses) {
    const owner = own.get(u.table)![0];
    if (owner === u.speaker) continue;
    if (u.write) writes.set(`${u.speaker} ${u.table}`, [...(writes.get(`${u.speaker} ${u.table}`) ?? []), `${u.file} writes ${u.table} (owned by ${owner})`]);
    else if (!READS[u.speaker]?.tables.includes(u.table)) reads.add(`${u.speaker}: ${u.file} reads ${u.table} (owned by ${owner})`);
  }
  const badWrites = [...writes].filter(([k]) => !pending.has(k)).flatMap(([, v]) => [...new Set(v)]);
  assert.deepEqual(badWrites, [], 'writes to another module\'s table (call the owner\'s service instead)');
  const gone = PENDING_CROSS_MODULE_WRITES.filter((k) => !writes.has(k));
  assert.deepEqual(gone, [], 'PENDING_CROSS_MODULE_WRITES entries that no longer happen: remove them from the list');
  assert.deepEqual([...reads], [], 'reads of another module\'s table not in READS (add it there with the reason, or call the owner)');
});

test('the SQL reader finds writes and reads in string literals only', () => {
  const known = new Set(['conversations', 'messages', 'users']);
  const src = [
    "import x from './conversations.js';",
    '// UPDATE conversations SET x = 1',
    "const a = `UPDATE conversations c SET status = 'open' FROM users u WHERE u.id = $1`;",
    "const b = 'INSERT INTO messages (id) VALUES ($1) ON CONFLICT DO UPDATE SET id = 1';",
    'const c = "SELECT 1 FROM ONLY users JOIN messages m ON true FOR UPDATE SKIP LOCKED";',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this string is source code under test, and its template literal is the case
    "const d = `DELETE FROM users WHERE id = ${'$1'}`;",
  ].join('\n');
  const uses = stringLiterals(src).flatMap((s) => tableUses(s, known));
  assert.deepEqual(uses, [
    { table: 'conversations', write: true },
    { table: 'users', write: false },
    { table: 'messages', write: true },
    { table: 'users', write: false },
    { table: 'messages', write: false },
    { table: 'users', write: true },
  ]);
  assert.deepEqual(createdTables('-- CREATE TABLE old\nCREATE TABLE a (x int);\ncreate table if not exists b ();'), ['a', 'b']);
});
