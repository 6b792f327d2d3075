/**
 * Asterisk Manager Interface client (TCP, node:net): logs in, receives call and agent events, maps them
 * (mapping.ts) and writes them in batches (one transaction per tick), reconnecting with backoff after a drop.
 *
 * Wire protocol: on connect Asterisk sends one banner line (`Asterisk Call Manager/7.0.3`); every message after it
 * is a block of `Key: Value` lines ended by CRLF, the block ended by an empty line. We send
 * `Action: Login / ActionID / Username / Secret / Events: call,agent`; the answer is `Response: Success` or
 * `Response: Error` with `Message: Authentication failed` (then Asterisk closes the connection). Data may arrive
 * split anywhere (even inside CRLF), so the parser buffers until a block is complete.
 *
 * Never logs the secret: connection details are logged as `ami://user@host:port`.
 *
 * Timeouts: connecting, the banner and the answer to Login must all come within AMI_CONNECT_TIMEOUT_MS, or the
 * attempt is dropped with an error naming the step and retried with backoff. A logged-in connection that has been
 * silent for AMI_PING_MS gets `Action: Ping`; no answer within AMI_CONNECT_TIMEOUT_MS means the peer is gone
 * (a half-open TCP connection says nothing) and the client reconnects.
 */
import net from 'node:net';
import type { Ctx } from '../../../platform/context.js';
import { writeVoiceEvents } from './ingest.js';
import { mapAmiEvent, newAmiState, type AmiMessage, type AmiState, type VoiceEvent } from './mapping.js';

export interface AmiTarget {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Account slug or id (the `account` query parameter). */
  account: string;
}

/** Parses `ami://user:secret@host:5038?account=acme`. Throws an Error that names what is wrong (never the secret). */
export function parseAmiUrl(url: string): AmiTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('AMI_URL is not a URL; expected ami://user:secret@host:5038?account=<slug>');
  }
  if (u.protocol !== 'ami:') throw new Error(`AMI_URL must start with ami:// (got ${u.protocol}//)`);
  if (!u.username) throw new Error('AMI_URL has no user name (ami://user:secret@host:5038?account=<slug>)');
  if (!u.password) throw new Error('AMI_URL has no secret (ami://user:secret@host:5038?account=<slug>)');
  const account = u.searchParams.get('account');
  if (!account) throw new Error('AMI_URL needs ?account=<slug>: the account the calls belong to');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 5038,
    username: decodeURIComponent(u.username),
    secret: decodeURIComponent(u.password),
    account,
  };
}

const BLANK = /\r?\n\r?\n/g;

/** Splits the AMI byte stream into the banner and `Key: Value` blocks, whatever the packet boundaries. */
export class AmiParser {
  private buf = '';
  private scanned = 0;
  private bannerSeen = false;
  banner: string | null = null;

  push(chunk: string): AmiMessage[] {
    this.buf += chunk;
    const out: AmiMessage[] = [];
    if (!this.bannerSeen) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) return out;
      this.banner = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      this.bannerSeen = true;
    }
    for (;;) {
      // Search only the new text (and the 3 characters before it that may start the separator): a message that
      // trickles in byte by byte is not rescanned from its start each time.
      BLANK.lastIndex = Math.max(0, this.scanned - 3);
      const m = BLANK.exec(this.buf);
      if (!m) {
        this.scanned = this.buf.length;
        break;
      }
      const block = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.scanned = 0;
      if (!block.trim()) continue;
      const msg: AmiMessage = {};
      for (const line of block.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i <= 0) continue;
        const k = line.slice(0, i).trim();
        // Repeated keys (ChanVariable) keep the first value; the mapping does not read them.
        if (!(k in msg)) msg[k] = line.slice(i + 1).trim();
      }
      out.push(msg);
    }
    return out;
  }
}

export interface AmiClientOptions {
  accountId: string;
  target: AmiTarget;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
  /** First reconnect delay (doubles up to maxBackoffMs). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long events gather before they are written in one transaction. */
  tickMs?: number;
  /** Connect + banner + Login answer, and a Ping's answer (default config.amiConnectTimeoutMs). */
  connectTimeoutMs?: number;
  /** Silence after which a Ping is sent (default config.amiPingMs). */
  pingMs?: number;
}

export type AmiStatus = 'connecting' | 'logged-in' | 'login-failed' | 'disconnected' | 'stopped';

/** A long-running AMI connection for one account. */
export class AmiClient {
  readonly state: AmiState = newAmiState();
  status: AmiStatus = 'disconnected';
  /** The last error in words (login refused, connection refused …), for the start banner and tests. */
  lastError: string | null = null;
  logins = 0;
  written = 0;
  private socket: net.Socket | null = null;
  private pending: VoiceEvent[] = [];
  private flushing: Promise<void> | null = null;
  private tick: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private delay: number;
  private stopped = false;
  private actionId = 0;
  private waiters: (() => void)[] = [];

  constructor(private ctx: Ctx, private o: AmiClientOptions) {
    this.delay = o.backoffMs ?? 1000;
  }

  get where() {
    return `ami://${this.o.target.username}@${this.o.target.host}:${this.o.target.port}`;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  private connect() {
    if (this.stopped) return;
    this.status = 'connecting';
    const parser = new AmiParser();
    const s = net.createConnection({ host: this.o.target.host, port: this.o.target.port });
    this.socket = s;
    s.setEncoding('utf8');
    s.setKeepAlive(true, 30_000);
    let loginId: string | null = null;
    let connected = false;
    const limitMs = this.o.connectTimeoutMs ?? this.ctx.config.amiConnectTimeoutMs;
    const pingMs = this.o.pingMs ?? this.ctx.config.amiPingMs;
    const giveUp = (why: string) => {
      this.lastError = `AMI ${this.where}: ${why}; reconnecting`;
      this.o.log.warn({ ami: this.where }, this.lastError);
      s.destroy();
    };
    // Connect, banner and Login answer share one limit.
    let setupTimer: NodeJS.Timeout | null = setTimeout(() => {
      const step = !connected ? 'could not connect' : parser.banner === null ? 'connected but no banner' : 'no answer to Login';
      giveUp(`${step} within ${limitMs} ms (AMI_CONNECT_TIMEOUT_MS)`);
    }, limitMs);
    let pongTimer: NodeJS.Timeout | null = null;
    const clearTimers = () => {
      if (setupTimer) clearTimeout(setupTimer);
      if (pongTimer) clearTimeout(pongTimer);
      setupTimer = pongTimer = null;
    };
    s.once('connect', () => (connected = true));
    s.on('timeout', () => {
      if (this.status !== 'logged-in' || pongTimer) return;
      s.write(`Action: Ping\r\nActionID: earshot-${++this.actionId}\r\n\r\n`);
      pongTimer = setTimeout(() => giveUp(`silent for ${pingMs} ms and no answer to Ping within ${limitMs} ms (AMI_PING_MS, AMI_CONNECT_TIMEOUT_MS)`), limitMs);
    });
    s.on('data', (chunk: string) => {
      // Anything from the peer proves it is there.
      if (pongTimer) clearTimeout(pongTimer);
      pongTimer = null;
      for (const m of parser.push(chunk)) {
        if (loginId === null) continue;
        if (m.Response !== undefined && m.ActionID === loginId) {
          if (m.Response === 'Success') {
            this.status = 'logged-in';
            this.lastError = null;
            if (setupTimer) clearTimeout(setupTimer);
            setupTimer = null;
            s.setTimeout(pingMs);
            this.logins++;
            this.delay = this.o.backoffMs ?? 1000;
            this.o.log.info({ ami: this.where }, 'AMI logged in');
          } else {
            this.status = 'login-failed';
            this.lastError = `AMI login refused for ${this.where}: ${m.Message ?? m.Response} (check the user and secret in AMI_URL and manager.conf)`;
            this.o.log.error({ ami: this.where, message: m.Message }, this.lastError);
            s.destroy();
          }
          this.notify();
          continue;
        }
        if (m.Event && this.status === 'logged-in') this.receive(m);
      }
      if (loginId === null && parser.banner !== null) {
        if (!/^Asterisk Call Manager\//.test(parser.banner)) {
          this.lastError = `${this.where} is not an Asterisk Manager Interface (banner '${parser.banner.slice(0, 60)}')`;
          this.o.log.error({ ami: this.where }, this.lastError);
          s.destroy();
          return;
        }
        loginId = `earshot-${++this.actionId}`;
        s.write(`Action: Login\r\nActionID: ${loginId}\r\nUsername: ${this.o.target.username}\r\nSecret: ${this.o.target.secret}\r\nEvents: call,agent\r\n\r\n`);
      }
    });
    s.on('error', (err) => {
      if (this.status !== 'login-failed') this.lastError = `AMI connection to ${this.where} failed: ${err.message}`;
      this.o.log.warn({ ami: this.where, err: err.message }, 'AMI connection error');
    });
    s.on('close', () => {
      clearTimers();
      if (this.socket === s) this.socket = null;
      if (this.status !== 'login-failed') this.status = 'disconnected';
      this.notify();
      if (this.stopped) return;
      // Events received before the drop are still written (the tick goes on); then reconnect with backoff.
      const wait = this.delay;
      this.delay = Math.min(this.delay * 2, this.o.maxBackoffMs ?? 30_000);
      this.retry = setTimeout(() => this.connect(), wait);
    });
  }

  private receive(m: AmiMessage) {
    const events = mapAmiEvent(this.state, m, this.ctx.now());
    if (!events.length) return;
    this.pending.push(...events);
    if (!this.tick) this.tick = setTimeout(() => void this.flush(), this.o.tickMs ?? 50);
  }

  /** Writes what has gathered, in one transaction; on failure keeps it and tries again on the next tick. */
  flush(): Promise<void> {
    if (this.tick) clearTimeout(this.tick);
    this.tick = null;
    if (this.flushing) return this.flushing.then(() => (this.pending.length ? this.flush() : undefined));
    if (!this.pending.length) return Promise.resolve();
    const batch = this.pending.splice(0);
    this.flushing = this.ctx.db
      .transaction((tx) => writeVoiceEvents(tx, this.o.accountId, batch, { source: 'ami', callbacks: true }))
      .then((r) => {
        this.written += r.added;
        this.notify();
      })
      .catch((err) => {
        this.pending.unshift(...batch);
        this.o.log.error({ ami: this.where, err: (err as Error).message, events: batch.length }, 'AMI events not written yet; retrying');
        if (!this.stopped && !this.tick) this.tick = setTimeout(() => void this.flush(), Math.max(1000, this.o.tickMs ?? 50));
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Resolves when `cond()` holds (checked after each login answer, drop and write). For tests and the CLI. */
  async until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`AMI client: condition not met within ${timeoutMs} ms (status ${this.status}, ${this.lastError ?? 'no error'})`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  private notify() {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }

  async stop() {
    this.stopped = true;
    this.status = 'stopped';
    if (this.retry) clearTimeout(this.retry);
    const s = this.socket;
    if (s) {
      await new Promise<void>((res) => {
        s.once('close', () => res());
        s.end(`Action: Logoff\r\nActionID: earshot-${++this.actionId}\r\n\r\n`);
        setTimeout(() => s.destroy(), 200).unref();
      });
    }
    await this.flush();
    this.notify();
  }
}
