/**
 * The inbound SMTP listener (an MX: no AUTH). Recipients that are not a mailbox (or a conversation's reply address)
 * get 550 at RCPT; the size limit is announced (SIZE) and enforced with 552; a message is answered 250 only after
 * ingestEmail committed it, a failure gets 451 (the sender retries) and a message we will never take 554.
 * Bodies are never logged.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Ctx } from '../../../platform/context.js';
import { findRecipient } from './mailboxes.service.js';
import { ingestEmail } from './inbound.js';
import { acknowledgeIngested } from './outbound-ack.js';

export interface SmtpHandle {
  port: number;
  host: string;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export interface SmtpOptions {
  port: number;
  host?: string;
  /** Largest message in bytes (default config.smtpMaxBytes). */
  maxBytes?: number;
  tlsKey?: string;
  tlsCert?: string;
  /** Where to report failures (never message bodies). */
  log?: { error: (obj: object, msg: string) => void; warn?: (obj: object, msg: string) => void };
}

export async function startSmtpServer(ctx: Ctx, o: SmtpOptions): Promise<SmtpHandle> {
  const maxBytes = o.maxBytes ?? ctx.config.smtpMaxBytes;
  const keyFile = o.tlsKey ?? ctx.config.smtpTlsKey;
  const certFile = o.tlsCert ?? ctx.config.smtpTlsCert;
  const tls = keyFile && certFile ? { key: readFileSync(keyFile), cert: readFileSync(certFile) } : null;
  const log = o.log;
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
    // Each connection may buffer up to maxBytes; bound how many do at once (a sending MTA retries on 421).
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
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= maxBytes) chunks.push(c);
      });
      stream.on('error', () => cb(smtpError(451, '4.3.0 error reading the message, try again')));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > maxBytes)
          return cb(smtpError(552, `5.3.4 message too big: ${size} bytes, this server accepts at most ${maxBytes} bytes`));
        const raw = Buffer.concat(chunks, size);
        ingestEmail(ctx, { raw, rcptTo, mailFrom, source: 'smtp' })
          .then((r) => {
            if (r.status === 'rejected') return cb(smtpError(r.code, `${r.code === 550 ? '5.1.1' : '5.6.0'} ${r.reason}`));
            cb(null, r.duplicate ? `2.0.0 already stored` : `2.0.0 stored as ${r.messageId || 'report'}`);
            // The mailbox's auto-acknowledgement (outbound part; off by default), after the 250 and in its own
            // transaction, so it can never cost the sender a retry.
            void acknowledgeIngested(ctx, r, undefined, log);
          })
          .catch((err) => {
            log?.error({ err: err?.message, code: err?.code }, 'smtp: storing a message failed; answered 451');
            cb(smtpError(451, '4.3.0 temporary failure storing the message, try again later'));
          });
      });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
