/**
 * Follows a live Asterisk queue_log like `tail -F`: reads the complete lines appended since the stored offset, parses
 * them with the journeys importer's parser (QueueLogParser, the same verbs, decisions and dedupe keys as
 * `earshot import queue-log`, so a file imported in bulk and then followed adds nothing twice), and writes the events
 * together with the new offset in one transaction: a restart neither duplicates nor skips.
 *
 * - Checkpoint (`voice_follow_checkpoints`): the file's device and inode, the byte offset after the last complete line
 *   committed, and a replay offset: the parser holds an exit (EXITWITHTIMEOUT …) until it knows whether the call went
 *   on to another queue, and that knowledge lives in memory. A restarted follower parses again from the oldest held
 *   exit's line; what it re-reads adds nothing (dedupe keys), what it re-learns decides the held exits correctly.
 * - A partial last line (Asterisk is mid-write) waits for its newline.
 * - Rotation (the path now has another inode): the rest of the old file is read first when it is still in the same
 *   folder under another name (queue_log.1, queue_log-20261125 …: found by its inode), then the new file from its start.
 * - Truncation (same inode, smaller than the offset, or the bytes before the offset changed: cut and rewritten past
 *   it): read again from the start.
 * - Held exits also become abandons by the wall clock (REENTRY_SECONDS after the exit) when the log is quiet.
 */
import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Ctx, Tx } from '../../../platform/context.js';
import { QueueLogParser, type ParsedEvent } from '../../journeys/index.js';
import { writeVoiceEvents } from './ingest.js';
import { phoneIdentity, type VoiceEvent } from './mapping.js';

/** Bytes read per transaction. */
const CHUNK = 4 * 1024 * 1024;
const EXIT_VERBS = new Set(['EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY', 'WITHDRAW']);

export interface FollowerState {
  accountId: string;
  path: string;
  /** The parser of this process (null until the first read: a fresh follower replays from the checkpoint). */
  parser: QueueLogParser | null;
  /** Byte offset of the line of each held exit (for the replay offset). */
  exitLines: Map<string, number>;
  lineNo: number;
}

export const newFollower = (accountId: string, path: string): FollowerState => ({ accountId, path, parser: null, exitLines: new Map(), lineNo: 0 });

export interface FollowResult {
  lines: number;
  received: number;
  added: number;
  callbacksOpened: number;
  rotated: boolean;
  truncated: boolean;
  malformed: number;
  /** Offset after the last complete line committed. */
  offset: number;
}

interface Checkpoint {
  dev: string;
  ino: string;
  read_offset: number;
  replay_offset: number;
  tail_hash: string;
}

const TAIL = 64;
/** A fingerprint of the bytes just before `pos`. */
async function tailHash(fh: FileHandle, pos: number): Promise<string> {
  if (pos <= 0) return '';
  const from = Math.max(0, pos - TAIL);
  const buf = Buffer.alloc(pos - from);
  const { bytesRead } = await fh.read(buf, 0, buf.length, from);
  return createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex');
}

async function tailHashOf(path: string, pos: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    return await tailHash(fh, pos);
  } finally {
    await fh.close();
  }
}

async function loadCheckpoint(ctx: Ctx, s: FollowerState): Promise<Checkpoint | null> {
  const r = await ctx.db.query<Checkpoint>(
    'SELECT dev, ino, read_offset::float8 AS read_offset, replay_offset::float8 AS replay_offset, tail_hash FROM voice_follow_checkpoints WHERE account_id = $1 AND path = $2',
    [s.accountId, s.path],
  );
  return r.rows[0] ?? null;
}

const fileId = async (path: string) => {
  try {
    const st = await stat(path, { bigint: true });
    return { dev: st.dev.toString(), ino: st.ino.toString(), size: Number(st.size) };
  } catch (e: any) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
};

/** The rotated-away file with this identity, if it is still next to the path. */
async function findRotated(path: string, dev: string, ino: string): Promise<string | null> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  for (const n of names) {
    if (n === base || !n.startsWith(base)) continue;
    const id = await fileId(join(dir, n));
    if (id && id.dev === dev && id.ino === ino) return join(dir, n);
  }
  return null;
}

/** One pass: reads and commits everything complete that is new. Safe to call at any time, from one process. */
export async function followOnce(ctx: Ctx, s: FollowerState): Promise<FollowResult> {
  const res: FollowResult = { lines: 0, received: 0, added: 0, callbacksOpened: 0, rotated: false, truncated: false, malformed: 0, offset: 0 };
  const cur = await fileId(s.path);
  let cp = await loadCheckpoint(ctx, s);
  const fresh = !s.parser;
  if (!s.parser) s.parser = new QueueLogParser();
  const malformedBefore = s.parser.report.malformedCount;

  if (cp && (!cur || cur.dev !== cp.dev || cur.ino !== cp.ino)) {
    // Rotated (or moved away and not yet recreated): finish the old file if we can still find it.
    const old = await findRotated(s.path, cp.dev, cp.ino);
    if (old) {
      const oid = (await fileId(old))!;
      await readRange(ctx, s, old, oid, fresh ? cp.replay_offset : cp.read_offset, oid.size, true, res);
    }
    if (!cur) return { ...res, malformed: s.parser.report.malformedCount - malformedBefore };
    res.rotated = true;
    s.exitLines.clear();
    cp = { dev: cur.dev, ino: cur.ino, read_offset: 0, replay_offset: 0, tail_hash: '' };
    await saveCheckpoint(ctx, s, cp);
  }
  if (!cur) return res;
  let start = cp ? (fresh ? cp.replay_offset : cp.read_offset) : 0;
  if (cp && (cur.size < cp.read_offset || (cp.read_offset > 0 && (await tailHashOf(s.path, cp.read_offset)) !== cp.tail_hash))) {
    res.truncated = true;
    s.exitLines.clear();
    start = 0;
  }
  await readRange(ctx, s, s.path, cur, start, cur.size, false, res);
  // A quiet log: held exits older than the re-entry window become abandons by the wall clock.
  const late = s.parser.advanceTo(ctx.now().getTime() / 1000);
  if (late.length) {
    const cp2 = await loadCheckpoint(ctx, s);
    if (cp2) await commit(ctx, s, late, cp2, res);
  }
  res.malformed = s.parser.report.malformedCount - malformedBefore;
  return res;
}

async function saveCheckpoint(ctx: Ctx, s: FollowerState, cp: Checkpoint, tx: Tx = ctx.db) {
  await tx.query(
    `INSERT INTO voice_follow_checkpoints (account_id, path, dev, ino, read_offset, replay_offset, tail_hash, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (account_id, path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, read_offset = excluded.read_offset,
       replay_offset = excluded.replay_offset, tail_hash = excluded.tail_hash, updated_at = now()`,
    [s.accountId, s.path, cp.dev, cp.ino, cp.read_offset, cp.replay_offset, cp.tail_hash],
  );
}

/** Reads [from, to) of a file in chunks of complete lines; each chunk's events and offsets commit together. */
async function readRange(ctx: Ctx, s: FollowerState, file: string, id: { dev: string; ino: string }, from: number, to: number,
  finished: boolean, res: FollowResult) {
  const parser = s.parser!;
  res.offset = from;
  if (to <= from) return;
  const fh = await open(file, 'r');
  try {
    let pos = from;
    while (pos < to) {
      const len = Math.min(CHUNK, to - pos);
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      if (!bytesRead) break;
      const end = buf.lastIndexOf(0x0a, bytesRead - 1);
      // A rotated-away file is complete: its last line counts even without a newline.
      const lastChunk = pos + bytesRead >= to;
      if (end < 0 && !(finished && lastChunk)) {
        if (len === CHUNK) throw new Error(`queue_log ${file}: a line longer than ${CHUNK} bytes at offset ${pos}`);
        break; // a partial line: wait for its newline
      }
      const used = end < 0 || (finished && lastChunk) ? bytesRead : end + 1;
      const events: ParsedEvent[] = [];
      let lineStart = 0;
      while (lineStart < used) {
        let nl = buf.indexOf(0x0a, lineStart);
        if (nl < 0 || nl >= used) nl = used;
        const text = buf.toString('utf8', lineStart, nl).replace(/\r$/, '');
        const f = text.split('|');
        if (f.length > 4 && EXIT_VERBS.has(f[4].trim())) s.exitLines.set(f[1].trim(), pos + lineStart);
        for (const e of parser.line(text, ++s.lineNo)) events.push(e);
        res.lines++;
        lineStart = nl + 1;
      }
      pos += used;
      const held = new Set(parser.heldCalls());
      let replay = pos;
      for (const [uid, off] of s.exitLines) {
        if (!held.has(uid)) s.exitLines.delete(uid);
        else if (off < replay) replay = off;
      }
      await commit(ctx, s, events, { dev: id.dev, ino: id.ino, read_offset: pos, replay_offset: replay, tail_hash: await tailHash(fh, pos) }, res);
      res.offset = pos;
    }
  } finally {
    await fh.close();
  }
}

async function commit(ctx: Ctx, s: FollowerState, events: ParsedEvent[], cp: Checkpoint, res: FollowResult) {
  const voice: VoiceEvent[] = events.map((e) => ({
    contactId: `queue-log:${e.contactId}`,
    type: e.type,
    at: e.at,
    identity: phoneIdentity(e.identity),
    queue: e.queue ?? null,
    agent: e.agent ?? null,
    key: `queue-log:${e.key}`,
    ...(e.data ? { data: e.data } : {}),
  }));
  await ctx.db.transaction(async (tx) => {
    const r = await writeVoiceEvents(tx, s.accountId, voice, { source: 'queue-log', callbacks: true });
    res.received += r.received;
    res.added += r.added;
    res.callbacksOpened += r.callbacksOpened.length;
    await saveCheckpoint(ctx, s, cp, tx);
  });
}

/** Polls the file (like tail -F) until stopped. */
export class QueueLogFollower {
  readonly state: FollowerState;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  lastError: string | null = null;

  constructor(private ctx: Ctx, accountId: string, path: string, private log: { error: (o: object, m: string) => void }, private intervalMs = 1000) {
    this.state = newFollower(accountId, path);
  }

  start() {
    const run = () => {
      this.running = followOnce(this.ctx, this.state)
        .then(() => {
          this.lastError = null;
        })
        .catch((err) => {
          this.lastError = (err as Error).message;
          this.log.error({ path: this.state.path, err: this.lastError }, 'queue_log follower failed; retrying');
        })
        .finally(() => {
          this.running = null;
          if (this.timer !== null) this.timer = setTimeout(run, this.intervalMs);
        });
    };
    this.timer = setTimeout(run, 0);
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
