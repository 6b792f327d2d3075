/**
 * The inbound SMTP listener (an MX: no AUTH). Recipients that are not a mailbox (or a conversation's reply address)
 * get 550 at RCPT; the size limit is announced (SIZE) and enforced with 552; a message is answered 250 only after
 * ingestEmail committed it, a failure gets 451 (the sender retries) and a message we will never take 554.
 * Memory (issue 14 item 13): a message is spooled to a temp file as it arrives; one of `SMTP_LARGE_BYTES` or more is
 * read back, parsed and stored only inside one of `SMTP_LARGE_CONCURRENCY` slots (the others wait on disk; beyond
 * `SMTP_LARGE_WAITING` waiting, 451 "try again later"), so memory is bounded by the slots, not by the senders.
 * Bodies are never logged.
 */
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Ctx } from '../../../platform/context.js';
import { findRecipient } from './mailboxes.service.js';
import { ingestEmail } from './inbound.js';
import { acknowledgeIngested } from './outbound-ack.js';

export interface SmtpHandle {
  port: number;
  host: string;
  /** The large-message slots (for status and tests). */
  large: Slots;
  /** Where messages are spooled while they arrive. */
  spoolDir: string;
  close(): Promise<void>;
}

/**
 * At most `size` holders at once; up to `waiting` more queue for a slot (first come, first served). `acquire()` answers
 * null when the queue is full, so a sender beyond the bound gets 451 and retries later.
 */
export class Slots {
  private busy = 0;
  private queue: (() => void)[] = [];
  constructor(
    readonly size: number,
    readonly waiting: number,
  ) {}
  acquire(): Promise<() => void> | null {
    if (this.busy >= this.size && this.queue.length >= this.waiting) return null;
    const grant = () => {
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const next = this.queue.shift();
        if (next) next();
        else this.busy--;
      };
    };
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve(grant());
    }
    return new Promise((resolve) => this.queue.push(() => resolve(grant())));
  }
  get inUse() {
    return this.busy;
  }
  get queued() {
    return this.queue.length;
  }
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export interface SmtpOptions {
  port: number;
  host?: string;
  /** Largest message in bytes (default config.smtpMaxBytes). */
  maxBytes?: number;
  tlsKey?: string;
  tlsCert?: string;
  /** Large messages: from this size (default config.smtpLargeBytes), this many at once, this many waiting. */
  largeBytes?: number;
  largeConcurrency?: number;
  largeWaiting?: number;
  /** Where to report failures (never message bodies). */
  log?: { error: (obj: object, msg: string) => void; warn?: (obj: object, msg: string) => void };
}

export async function startSmtpServer(ctx: Ctx, o: SmtpOptions): Promise<SmtpHandle> {
  const maxBytes = o.maxBytes ?? ctx.config.smtpMaxBytes;
  const keyFile = o.tlsKey ?? ctx.config.smtpTlsKey;
  const certFile = o.tlsCert ?? ctx.config.smtpTlsCert;
  const tls = keyFile && certFile ? { key: readFileSync(keyFile), cert: readFileSync(certFile) } : null;
  const log = o.log;
  const largeBytes = o.largeBytes ?? ctx.config.smtpLargeBytes;
  const largeSlots = new Slots(o.largeConcurrency ?? ctx.config.smtpLargeConcurrency, o.largeWaiting ?? ctx.config.smtpLargeWaiting);
  // One spool folder per listener, removed on close (after a crash the system's temp cleaning removes it).
  const spoolDir = await mkdtemp(join(tmpdir(), 'earshot-smtp-'));
  let spooled = 0;
  const options: SMTPServerOptions = {
    name: undefined,
    banner: 'Earshot ESMTP',
    logger: false,
    secure: false,
    authOptional: true,
    // Never the library's built-in (expired) certificate: STARTTLS only with a configured one.
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideSTARTTLS: !tls,
    ...(tls ? tls : {}),
    size: maxBytes,
    useXClient: false,
    // Connections at once (a sending MTA retries on 421); each spools to disk, large ones are parsed a few at a time.
    maxClients: 100,
    useXForward: false,
    onRcptTo(address, _session, cb) {
      findRecipient(ctx.db, address.address)
        .then((r) => cb(r ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)))
        .catch((err) => {
          log?.error({ err: err?.message }, 'smtp: recipient lookup failed');
          cb(smtpError(451, '4.3.0 temporary failure, try again later'));
        });
    },
    onData(stream, session, cb) {
      // session.envelope is reset after onData: copy it first.
      const rcptTo = session.envelope.rcptTo.map((r) => r.address);
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      // The message goes to a spool file as it arrives, never whole into memory; a large one is read back only when
      // it has one of the few large-message slots.
      // Made again if a temp cleaner removed it while the listener was idle (else every mail would get 451).
      mkdirSync(spoolDir, { recursive: true, mode: 0o700 });
      const file = join(spoolDir, `${++spooled}.eml`);
      const out = createWriteStream(file, { mode: 0o600 });
      let size = 0;
      let writeFailed: Error | null = null;
      out.on('error', (err) => {
        writeFailed = err;
        stream.resume();
      });
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes || writeFailed || out.destroyed) return;
        if (!out.write(c)) {
          stream.pause();
          out.once('drain', () => stream.resume());
        }
      });
      const drop = () => rm(file, { force: true }).catch(() => {});
      stream.on('error', () => {
        out.destroy();
        void drop();
        cb(smtpError(451, '4.3.0 error reading the message, try again'));
      });
      stream.on('end', () => {
        out.end(() => void finish());
        out.once('error', () => void finish());
      });
      let finished = false;
      const finish = async () => {
        if (finished) return;
        finished = true;
        if (stream.sizeExceeded || size > maxBytes) {
          await drop();
          return cb(smtpError(552, `5.3.4 message too big: ${size} bytes, this server accepts at most ${maxBytes} bytes`));
        }
        if (writeFailed) {
          log?.error({ err: (writeFailed as Error).message }, 'smtp: spooling a message failed; answered 451');
          await drop();
          return cb(smtpError(451, '4.3.0 temporary failure storing the message, try again later'));
        }
        let release = () => {};
        if (size >= largeBytes) {
          const slot = largeSlots.acquire();
          if (!slot) {
            await drop();
            return cb(smtpError(451, '4.3.2 too many large messages at once, try again later'));
          }
          release = await slot;
        }
        try {
          const raw = await readFile(file);
          await drop();
          const r = await ingestEmail(ctx, { raw, rcptTo, mailFrom, source: 'smtp' });
          release();
          if (r.status === 'rejected') return cb(smtpError(r.code, `${r.code === 550 ? '5.1.1' : '5.6.0'} ${r.reason}`));
          cb(null, r.duplicate ? `2.0.0 already stored` : `2.0.0 stored as ${r.messageId || 'report'}`);
          // The mailbox's auto-acknowledgement (outbound part; off by default), after the 250 and in its own
          // transaction, so it can never cost the sender a retry.
          void acknowledgeIngested(ctx, r, undefined, log);
        } catch (err: any) {
          release();
          await drop();
          log?.error({ err: err?.message, code: err?.code }, 'smtp: storing a message failed; answered 451');
          cb(smtpError(451, '4.3.0 temporary failure storing the message, try again later'));
        }
      };
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (err: any) => log?.warn?.({ err: err?.message }, 'smtp: connection error'));
  const host = o.host ?? ctx.config.smtpHost;
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    host,
    large: largeSlots,
    spoolDir,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}
