/**
 * A real Dovecot IMAP server for the tests: `/usr/sbin/dovecot -F` with its own configuration in a temp folder,
 * listening on a free loopback port, plain IMAP (ssl = no), passwd-file auth with one test user, maildir storage under
 * the temp folder, running as the current user. No other listeners (no POP3, LMTP, submission, imaps).
 * When Dovecot is not installed, `dovecotMissing()` says why so the IMAP tests can skip with a clear message.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './cli-run.js';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT_BIN = process.env.DOVECOT_BIN || '/usr/sbin/dovecot';

/** Why Dovecot cannot run here, or null when it can. */
export function dovecotMissing(): string | null {
  if (!existsSync(DOVECOT_BIN)) return `Dovecot not installed (${DOVECOT_BIN} missing; Debian package dovecot-imapd) — IMAP tests skipped`;
  return null;
}

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** An IMAP client signed in as the test user (for APPEND and folder changes). */
  client(): Promise<ImapFlow>;
  /** Appends raw messages to a folder (created when missing). */
  append(folder: string, ...raws: (string | Buffer)[]): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port }, () => {
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
    });
    sock.once('error', () => resolve(false));
    sock.setTimeout(300, () => {
      sock.destroy();
      resolve(false);
    });
  });
}

function groupName(): string {
  try {
    return execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  } catch {
    return String(process.getgid?.() ?? 0);
  }
}

/**
 * Who the processes run as. Normally the current user for everything. Dovecot refuses root for its login process
 * and for mail access, so when the tests run as root (containers, CI) the login process runs as dovenull and the
 * mail as the dovecot (or nobody) user, owning the maildir folder.
 */
function identities() {
  const u = userInfo();
  if (u.uid !== 0) return { internal: u.username, group: groupName(), login: u.username, mail: { uid: u.uid, gid: u.gid } };
  const idOf = (name: string) => {
    try {
      return {
        uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
      };
    } catch {
      return null;
    }
  };
  const login = idOf('dovenull') ? 'dovenull' : 'nobody';
  const mail = idOf('dovecot') ?? idOf('nobody') ?? { uid: 65534, gid: 65534 };
  return { internal: u.username, group: groupName(), login, mail };
}

function config(dir: string, port: number, who: ReturnType<typeof identities>) {
  const { uid, gid } = who.mail;
  return `# Earshot test Dovecot: loopback only, plain IMAP, one passwd-file user, maildir in this folder.
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
instance_name = earshot-test-${port}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.internal}
default_internal_group = ${who.group}
default_login_user = ${who.login}
first_valid_uid = ${uid}
last_valid_uid = ${uid}
first_valid_gid = ${gid}
last_valid_gid = ${gid}
mail_location = maildir:${dir}/mail/%u
mail_uid = ${uid}
mail_gid = ${gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = /
}
`;
}

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const why = dovecotMissing();
  if (why) throw new Error(why);
  const user = opts.user ?? 'support';
  const password = opts.password ?? 'test-password-1';
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-dovecot-'));
    for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d), { recursive: true });
    const who = identities();
    const { uid, gid } = who.mail;
    if (userInfo().uid === 0) {
      chmodSync(dir, 0o755);
      chownSync(join(dir, 'mail'), uid, gid);
    }
    writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}:${uid}:${gid}::${dir}/mail/${user}::\n`);
    const port = await freePort();
    writeFileSync(join(dir, 'dovecot.conf'), config(dir, port, who));
    const child: ChildProcess = spawn(DOVECOT_BIN, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    let exited = false;
    // A test process that dies without stop() must not leave a Dovecot behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => {
      exited = true;
      process.off('exit', killOnExit);
    });
    const log = () => out + (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '');
    let up = false;
    for (let i = 0; i < 50 && !exited; i++) {
      if (await canConnect(port)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!up) {
      lastErr = log();
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    const client = async () => {
      const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
      await c.connect();
      return c;
    };
    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      dir,
      client,
      log,
      async append(folder, ...raws) {
        const c = await client();
        try {
          if (folder.toUpperCase() !== 'INBOX') await c.mailboxCreate(folder).catch(() => {});
          for (const raw of raws) await c.append(folder, raw);
        } finally {
          await c.logout().catch(() => c.close());
        }
      },
      async stop() {
        if (!exited) {
          const done = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          await done;
          clearTimeout(t);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error(`Dovecot did not start: ${lastErr.slice(-2000)}`);
}

// ---------------------------------------------------------------- SMTP sink

export interface SinkMessage {
  raw: Buffer;
  mailFrom: string | null;
  rcptTo: string[];
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: SinkMessage[];
  /** Refuse the next n messages at DATA with this reply (e.g. 451 try again later). */
  refuseNext(n: number, code?: number, message?: string): void;
  /** Resolves when at least n messages were accepted (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on a loopback port that keeps what it accepts: the test's outgoing relay. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const { SMTPServer } = await import('smtp-server');
  const messages: SinkMessage[] = [];
  let refuse = { n: 0, code: 451, message: '4.3.0 try again later' };
  let waiters: { n: number; resolve: (m: SinkMessage[]) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      // The envelope is reset after onData: copy it first (DESIGN gotcha).
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
      const rcptTo = session.envelope.rcptTo.map((r) => r.address);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse.n > 0) {
          refuse.n--;
          return cb(Object.assign(new Error(refuse.message), { responseCode: refuse.code }));
        }
        messages.push({ raw: Buffer.concat(chunks), mailFrom, rcptTo });
        cb();
        const ready = waiters.filter((w) => messages.length >= w.n);
        waiters = waiters.filter((w) => messages.length < w.n);
        for (const w of ready) w.resolve(messages.slice());
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as any).port as number;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext(n, code = 451, message = '4.3.0 try again later') {
      refuse = { n, code, message };
    },
    waitFor(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`SMTP sink: expected ${n} message(s), got ${messages.length}`)), timeoutMs);
        waiters.push({
          n,
          resolve: (m) => {
            clearTimeout(t);
            resolve(m);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
