/**
 * One write ending (issue 15 item 3): module code ends a write with `recordChange` (src/modules/changes), never by
 * calling the parts itself, so a new write path cannot forget the audit entry, the realtime notice or the webhook.
 * A source scan over src/modules finds direct calls of `audit(`, `publishChange(` and `emitWebhook(`, and imports of
 * those names (an alias would hide a call). The changes module is where they belong; every other hit must be one of
 * the commented exceptions below. The first test runs the scan on small made-up
 * sources, so it is known to fail when it should.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const MODULES = join(ROOT, 'src', 'modules');
const PARTS = ['audit', 'publishChange', 'emitWebhook'];

/** Where the parts are written on purpose: the ending itself. */
const HOME = ['src/modules/changes/'];

/**
 * Genuine exceptions: a file and the start of the call that may stay direct, with the reason.
 * Each must still match something, so the list cannot outlive the code it excuses.
 */
const EXCEPTIONS: { file: string; call: string; why: string }[] = [
  // recordChange writes webhook deliveries through this module, so using it here would close an import circle.
  { file: 'src/modules/webhooks/webhooks.service.ts', call: "audit(tx, p, 'webhook.created'", why: 'import circle' },
  { file: 'src/modules/webhooks/webhooks.service.ts', call: "audit(tx, p, 'webhook.deleted'", why: 'import circle' },
  { file: 'src/modules/webhooks/webhooks.service.ts', call: 'import { audit }', why: 'import circle' },
  // A typing indicator is not a change: nothing to audit, no webhook, no principal; it only rides the notice channel.
  { file: 'src/modules/channels/chat/chat.service.ts', call: "publishChange(tx, { accountId, type: 'chat.typing'", why: 'not a change' },
  { file: 'src/modules/channels/chat/chat.service.ts', call: 'import { publishChange }', why: 'the typing indicator above' },
];

/** Files still being converted (none: kept so a large conversion can land in steps). */
const PENDING: string[] = [];

interface Hit { file: string; line: number; text: string }

/** Direct calls of the parts and imports of their names in one file's source (comments and definitions skipped). */
export function directParts(file: string, source: string): Hit[] {
  const names = PARTS.join('|');
  const call = new RegExp(`(?<![\\w.$])(?:${names})\\s*\\(`);
  const definition = new RegExp(`\\bfunction\\s+(?:${names})\\s*\\(`);
  const imported = new RegExp(`^\\s*import\\b[^;]*\\{[^}]*\\b(?:${names})\\b[^}]*\\}`);
  const hits: Hit[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  code.split('\n').forEach((raw, i) => {
    const text = raw.replace(/(^|[^:'"`\\])\/\/.*$/, '$1');
    if ((call.test(text) && !definition.test(text)) || imported.test(text)) hits.push({ file, line: i + 1, text: text.trim() });
  });
  return hits;
}

/** Hits that are neither home, pending nor an exception; and the exceptions that matched nothing. */
export function findings(hits: Hit[], exceptions = EXCEPTIONS, pending = PENDING) {
  const used = new Set<number>();
  const bad = hits.filter((h) => {
    if (HOME.some((d) => h.file.startsWith(d))) return false;
    const i = exceptions.findIndex((e) => e.file === h.file && h.text.includes(e.call));
    if (i >= 0) used.add(i);
    return i < 0 && !pending.some((d) => h.file.startsWith(d));
  });
  return { bad, stale: exceptions.filter((_, i) => !used.has(i)) };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.m?ts$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

test('the scan finds direct calls and aliased imports, and skips comments, definitions and recordChange', () => {
  const src = [
    "import { audit as log } from '../audit/audit.service.js';",
    "import { recordChange } from '../changes/index.js';",
    '// await audit(tx, p, "in a comment")',
    'export async function audit(tx: Tx) {}',
    "  await recordChange(tx, p, now, { audit: { action: 'x', target: null } });",
    "  await publishChange(tx, { accountId, type: 'conversation.updated' });",
    "  await emitWebhook(tx, a, 'conversation.updated', {}, now);",
    "  await audit (tx, p, 'spaced');",
    '  /* audit(tx, p, "a block comment") */',
    '  await tx.audit(x);',
  ].join('\n');
  const hits = directParts('src/modules/x/x.service.ts', src);
  assert.deepEqual(hits.map((h) => h.line), [1, 6, 7, 8]);
  const ex = [{ file: 'src/modules/x/x.service.ts', call: 'emitWebhook(tx, a', why: 'test' }, { file: 'src/modules/x/y.ts', call: 'audit(', why: 'gone' }];
  const f = findings(hits, ex, []);
  assert.deepEqual(f.bad.map((h) => h.line), [1, 6, 8]);
  assert.deepEqual(f.stale.map((e) => e.file), ['src/modules/x/y.ts']);
  assert.deepEqual(findings(hits, [], ['src/modules/x/']).bad, []);
});

test('module code ends its writes with recordChange, not with audit/publishChange/emitWebhook', () => {
  const rel = (p: string) => relative(ROOT, p).split(sep).join('/');
  const hits = sourceFiles(MODULES).flatMap((f) => directParts(rel(f), readFileSync(f, 'utf8')));
  const { bad, stale } = findings(hits);
  assert.deepEqual(bad.map((h) => `${h.file}:${h.line}: ${h.text}`), [],
    'end the write with recordChange(tx, p, ctx.now(), { events, audit, change, webhook }) from src/modules/changes');
  assert.deepEqual(stale.map((e) => `${e.file}: ${e.call}`), [], 'an exception no longer matches any call: remove it');
});
