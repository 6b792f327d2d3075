/**
 * One process per embedded data folder (PGlite is single-process; two would corrupt it), with a lock the operating
 * system releases when the holder dies (issue 14 item 14). A pid file cannot tell a live holder from a killed one
 * whose pid is not yet reaped, reused by another program, or — in a container — taken by the restarted process
 * itself; so the lock is a listening socket, which the kernel closes with the process:
 *
 * - Linux: a socket in the abstract namespace (no file; the name is derived from the folder's device and inode), so
 *   a stale lock cannot exist at all;
 * - Windows: a named pipe (also released by the kernel);
 * - elsewhere (macOS, BSD): a Unix socket file in the temp folder; a file left by a killed holder refuses connections,
 *   which tells it apart from a live one, and is replaced.
 *
 * A second process finds the name taken, connects and reads the holder's pid for its error message. The same process
 * may open the folder again (counted). Limitation: Linux abstract sockets belong to a network namespace, so two
 * containers with separate networks that mount the same volume do not see each other's lock — run one container per
 * data folder, or use PostgreSQL for several processes.
 */
import { createHash } from 'node:crypto';
import { realpathSync, rmSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from './errors.js';

export interface FolderLock {
  release(): Promise<void>;
}

const held = new Map<string, { server: Server; count: number; file: string | null }>();

/** The socket address that stands for a folder (exported for tests). */
export function lockAddress(dir: string): { address: string; file: string | null } {
  const st = statSync(dir);
  const id = createHash('sha256').update(`${st.dev}:${st.ino}:${realpathSync(dir)}`).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return { address: `\0earshot-data-${id}`, file: null };
  if (process.platform === 'win32') return { address: `\\\\?\\pipe\\earshot-data-${id}`, file: null };
  const file = join(tmpdir(), `earshot-data-${id}.sock`);
  return { address: file, file };
}

function listen(address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((sock) => {
      // Whoever asks learns who holds the folder.
      sock.on('error', () => {});
      sock.end(`${process.pid}\n`);
    });
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      server.on('error', () => {});
      server.unref();
      resolve(server);
    });
  });
}

/** Asks the holder for its pid: a number, null when it answered nothing, or 'refused' when nobody listens. */
function askHolder(address: string): Promise<number | null | 'refused'> {
  return new Promise((resolve) => {
    let data = '';
    const sock = connect(address);
    const done = (v: number | null | 'refused') => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), 3000);
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('end', () => done(Number(data.trim()) || null));
    sock.on('error', (e: any) => done(e?.code === 'ECONNREFUSED' || e?.code === 'ENOENT' ? 'refused' : null));
  });
}

/** Takes the folder's lock or throws `db_locked` (503) naming the process that holds it. */
export async function lockFolder(dir: string): Promise<FolderLock> {
  const { address, file } = lockAddress(dir);
  const mine = held.get(address);
  let entry = mine;
  if (!entry) {
    for (let attempt = 0; ; attempt++) {
      try {
        entry = { server: await listen(address), count: 0, file };
        held.set(address, entry);
        break;
      } catch (err: any) {
        if (err?.code !== 'EADDRINUSE') throw err;
        const holder = await askHolder(address);
        if (holder === 'refused' && file && attempt === 0) {
          // A socket file left by a killed holder: nobody listens on it.
          rmSync(file, { force: true });
          continue;
        }
        throw new AppError(
          'db_locked',
          `The embedded database in ${dir} is in use by ${typeof holder === 'number' ? `process ${holder}` : 'another process'}. Stop it first, or use PostgreSQL (DATABASE_URL) to run several processes.`,
          503,
        );
      }
    }
  }
  const e = entry!;
  e.count++;
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      if (--e.count > 0) return;
      held.delete(address);
      await new Promise<void>((r) => e.server.close(() => r()));
      if (e.file) rmSync(e.file, { force: true });
    },
  };
}
