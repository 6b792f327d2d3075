import { isIP } from 'node:net';
/** Every setting in one place; README's settings table lists the same names. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  logLevel: string;
  /** 'auto': Secure cookies on https and on localhost (browsers accept them there); 'always'; 'never' (plain-http LAN). */
  cookieSecure: 'auto' | 'always' | 'never';
  sessionDays: number;
  bodyLimitBytes: number;
  loginRateLimit: number;
  publicRateLimit: number;
  /** Proxies whose X-Forwarded-* headers count (TRUST_PROXY): 1/true = any, or addresses and ranges, comma-separated. */
  trustProxy: boolean | string[];
  runJobs: boolean;
  publicUrl?: string;
  // ---- channels (issue 4); README's settings table lists the env names
  /** Inbound SMTP port (SMTP_PORT); unset = no SMTP listener. */
  smtpPort?: number;
  /** Address the SMTP listener binds (SMTP_HOST, default: HOST). */
  smtpHost: string;
  /** Largest accepted message in bytes (SMTP_MAX_BYTES, default 25 MiB); bigger ones get 552. */
  smtpMaxBytes: number;
  /** Messages from this size on (SMTP_LARGE_BYTES, default 1 MiB) are "large": parsed and stored a few at a time. */
  smtpLargeBytes: number;
  /** Large messages parsed and stored at once (SMTP_LARGE_CONCURRENCY, default 2); more wait, spooled on disk. */
  smtpLargeConcurrency: number;
  /** Large messages that may wait for a slot (SMTP_LARGE_WAITING, default 32); beyond that a sender gets 451. */
  smtpLargeWaiting: number;
  /** PEM files for STARTTLS (SMTP_TLS_KEY, SMTP_TLS_CERT); without them STARTTLS is not offered. */
  smtpTlsKey?: string;
  smtpTlsCert?: string;
  /** Outbound relay, e.g. smtp://127.0.0.1:2525 (SMTP_OUTBOUND_URL); unset = outbound mail jobs wait and retry. */
  smtpOutboundUrl?: string;
  /** How often IMAP mailboxes without IDLE are polled (IMAP_POLL_MS, default 60 s). */
  imapPollMs: number;
  /** Asterisk Manager Interface, e.g. ami://user:secret@127.0.0.1:5038?account=acme (AMI_URL). */
  amiUrl?: string;
  /** A live Asterisk queue_log to follow (QUEUE_LOG_FOLLOW=/var/log/asterisk/queue_log, with QUEUE_LOG_ACCOUNT). */
  queueLogFollow?: string;
  queueLogAccount?: string;
  // ---- timeouts of outbound calls and the job runner's lanes (issue 13); docs/ARCHITECTURE.md "Jobs"
  /** Outgoing SMTP: TCP connect (SMTP_OUTBOUND_CONNECT_TIMEOUT_MS, default 10 s). */
  smtpOutboundConnectTimeoutMs: number;
  /** Outgoing SMTP: the relay's 220 greeting (SMTP_OUTBOUND_GREETING_TIMEOUT_MS, default 15 s). */
  smtpOutboundGreetingTimeoutMs: number;
  /** Outgoing SMTP: silence on an open connection, e.g. no 250 after DATA (SMTP_OUTBOUND_SOCKET_TIMEOUT_MS, default 60 s). */
  smtpOutboundSocketTimeoutMs: number;
  /** Outgoing SMTP: one whole send, connect to 250 (SMTP_OUTBOUND_DEADLINE_MS, default 120 s). */
  smtpOutboundDeadlineMs: number;
  /** One webhook delivery: connect, answer and body (WEBHOOK_TIMEOUT_MS, default 10 s). */
  webhookTimeoutMs: number;
  /** Webhooks may post to loopback, private, link-local … addresses (WEBHOOK_ALLOW_PRIVATE=1; default no). */
  webhookAllowPrivate: boolean;
  /** Only these ranges of such addresses (WEBHOOK_ALLOW_CIDRS, comma-separated, e.g. 10.20.0.0/16,fd00:1::/64). */
  webhookAllowCidrs: string[];
  /** IMAP: TCP connect (IMAP_CONNECT_TIMEOUT_MS, default 15 s). */
  imapConnectTimeoutMs: number;
  /** IMAP: the server's greeting (IMAP_GREETING_TIMEOUT_MS, default 15 s). */
  imapGreetingTimeoutMs: number;
  /** IMAP: silence on an open connection before a NOOP probe / giving up (IMAP_SOCKET_TIMEOUT_MS, default 120 s). */
  imapSocketTimeoutMs: number;
  /** IMAP: one poll or sync, connect to logout (IMAP_SYNC_DEADLINE_MS, default 10 min); progress is kept per message. */
  imapSyncDeadlineMs: number;
  /** AMI: TCP connect, banner and the answer to Login, and to a Ping (AMI_CONNECT_TIMEOUT_MS, default 10 s). */
  amiConnectTimeoutMs: number;
  /** AMI: silence after which the client sends a Ping (AMI_PING_MS, default 30 s); no answer = reconnect. */
  amiPingMs: number;
  /** Job runner: jobs of one kind (one lane) that run at the same time (JOB_CONCURRENCY, default 2). */
  jobConcurrency: number;
  /** Job runner: a job still running after this is abandoned as a failed attempt and retried (JOB_DEADLINE_MS, default 5 min). */
  jobDeadlineMs: number;
  /** Job runner: a running job's lease, renewed by its process every third of it; a dead process's jobs are
   * reclaimed once it runs out (JOB_LEASE_MS, default 15 s). */
  jobLeaseMs: number;
  /** Realtime: bytes queued for one socket beyond which it is closed with code 4008 "resync" (REALTIME_MAX_BUFFER_BYTES, default 1 MiB). */
  realtimeMaxBufferBytes: number;
  // ---- abuse limits (issue 14 items 5, 6); README "Sign-in, passwords and public endpoints"
  /** Failed sign-ins in a row for one email address before it is locked (LOGIN_LOCK_AFTER, default 5). */
  loginLockAfter: number;
  /** First lock of an address in seconds, doubled with each further failure (LOGIN_LOCK_SECONDS, default 60). */
  loginLockSeconds: number;
  /** Longest lock in seconds (LOGIN_LOCK_MAX_SECONDS, default 900). */
  loginLockMaxSeconds: number;
  /** Chat sockets (widget and agent realtime) open at once from one IP (WS_MAX_PER_IP, default 20). */
  wsMaxPerIp: number;
  /** Chat widget sockets that have not said hello yet, in the whole process (WS_MAX_UNAUTHENTICATED, default 500). */
  wsMaxUnauthenticated: number;
  /** A chat widget socket that has not said hello after this is closed (WS_HELLO_TIMEOUT_MS, default 5 s). */
  wsHelloTimeoutMs: number;
  // ---- probes (docs/probes.md): where a probe knocks, when not on this server's own listeners on loopback
  /** Host of the SMTP listener email probes write to (PROBE_SMTP_HOST, default 127.0.0.1). */
  probeSmtpHost: string;
  /** Its port (PROBE_SMTP_PORT, default SMTP_PORT). */
  probeSmtpPort?: number;
  /** The server chat and phone probes call (PROBE_HTTP_URL, default http://127.0.0.1:PORT). */
  probeHttpUrl?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const int = (name: string, dflt: number) => {
    const v = env[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got '${v}'`);
    return n;
  };
  // A timeout or a concurrency of 0 would mean "never" or "nothing runs": refused.
  const pos = (name: string, dflt: number) => {
    const n = int(name, dflt);
    if (n === 0) throw new Error(`${name} must be at least 1, got '0'`);
    return n;
  };
  const cookieSecure = (env.COOKIE_SECURE ?? 'auto') as Config['cookieSecure'];
  if (!['auto', 'always', 'never'].includes(cookieSecure))
    throw new Error(`COOKIE_SECURE must be auto, always or never, got '${cookieSecure}'`);
  return {
    port: int('PORT', 3000),
    // Loopback unless told otherwise (issue 14 item 3): `--host 0.0.0.0` or HOST opens HTTP and SMTP together.
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.EARSHOT_DATA || './earshot-data',
    logLevel: env.LOG_LEVEL || 'info',
    cookieSecure,
    sessionDays: int('SESSION_DAYS', 14),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 10 * 1024 * 1024),
    loginRateLimit: int('LOGIN_RATE_LIMIT', 10),
    publicRateLimit: int('PUBLIC_RATE_LIMIT', 60),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    runJobs: env.EARSHOT_JOBS !== '0',
    publicUrl: env.PUBLIC_URL || undefined,
    smtpPort: env.SMTP_PORT ? int('SMTP_PORT', 0) : undefined,
    smtpHost: env.SMTP_HOST || overrides.host || env.HOST || '127.0.0.1',
    smtpMaxBytes: int('SMTP_MAX_BYTES', 25 * 1024 * 1024),
    smtpLargeBytes: int('SMTP_LARGE_BYTES', 1024 * 1024),
    smtpLargeConcurrency: Math.max(1, int('SMTP_LARGE_CONCURRENCY', 2)),
    smtpLargeWaiting: int('SMTP_LARGE_WAITING', 32),
    smtpTlsKey: env.SMTP_TLS_KEY || undefined,
    smtpTlsCert: env.SMTP_TLS_CERT || undefined,
    smtpOutboundUrl: env.SMTP_OUTBOUND_URL || undefined,
    imapPollMs: int('IMAP_POLL_MS', 60_000),
    amiUrl: env.AMI_URL || undefined,
    queueLogFollow: env.QUEUE_LOG_FOLLOW || undefined,
    queueLogAccount: env.QUEUE_LOG_ACCOUNT || undefined,
    smtpOutboundConnectTimeoutMs: pos('SMTP_OUTBOUND_CONNECT_TIMEOUT_MS', 10_000),
    smtpOutboundGreetingTimeoutMs: pos('SMTP_OUTBOUND_GREETING_TIMEOUT_MS', 15_000),
    smtpOutboundSocketTimeoutMs: pos('SMTP_OUTBOUND_SOCKET_TIMEOUT_MS', 60_000),
    smtpOutboundDeadlineMs: pos('SMTP_OUTBOUND_DEADLINE_MS', 120_000),
    webhookTimeoutMs: pos('WEBHOOK_TIMEOUT_MS', 10_000),
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
    webhookAllowCidrs: parseCidrs(env.WEBHOOK_ALLOW_CIDRS),
    imapConnectTimeoutMs: pos('IMAP_CONNECT_TIMEOUT_MS', 15_000),
    imapGreetingTimeoutMs: pos('IMAP_GREETING_TIMEOUT_MS', 15_000),
    imapSocketTimeoutMs: pos('IMAP_SOCKET_TIMEOUT_MS', 120_000),
    imapSyncDeadlineMs: pos('IMAP_SYNC_DEADLINE_MS', 600_000),
    amiConnectTimeoutMs: pos('AMI_CONNECT_TIMEOUT_MS', 10_000),
    amiPingMs: pos('AMI_PING_MS', 30_000),
    jobConcurrency: pos('JOB_CONCURRENCY', 2),
    jobDeadlineMs: pos('JOB_DEADLINE_MS', 300_000),
    jobLeaseMs: pos('JOB_LEASE_MS', 15_000),
    realtimeMaxBufferBytes: pos('REALTIME_MAX_BUFFER_BYTES', 1024 * 1024),
    loginLockAfter: pos('LOGIN_LOCK_AFTER', 5),
    loginLockSeconds: pos('LOGIN_LOCK_SECONDS', 60),
    loginLockMaxSeconds: pos('LOGIN_LOCK_MAX_SECONDS', 900),
    wsMaxPerIp: pos('WS_MAX_PER_IP', 20),
    wsMaxUnauthenticated: pos('WS_MAX_UNAUTHENTICATED', 500),
    wsHelloTimeoutMs: pos('WS_HELLO_TIMEOUT_MS', 5_000),
    probeSmtpHost: env.PROBE_SMTP_HOST || '127.0.0.1',
    probeSmtpPort: env.PROBE_SMTP_PORT ? pos('PROBE_SMTP_PORT', 0) : undefined,
    probeHttpUrl: env.PROBE_HTTP_URL || undefined,
    ...overrides,
  };
}

/** WEBHOOK_ALLOW_CIDRS; a malformed entry stops the start (a typo must not silently open or close anything). */
export function parseCidrs(v: string | undefined): string[] {
  if (!v?.trim()) return [];
  return v.split(',').map((s) => s.trim()).filter(Boolean).map((c) => {
    const [net, bits, extra] = c.split('/');
    const fam = isIP(net);
    const n = bits === undefined ? (fam === 6 ? 128 : 32) : Number(bits);
    if (!fam || extra !== undefined || !/^\d*$/.test(bits ?? '') || !Number.isInteger(n) || n < 0 || n > (fam === 6 ? 128 : 32))
      throw new Error(`WEBHOOK_ALLOW_CIDRS: '${c}' is not an address range like 10.20.0.0/16 or fd00:1::/64`);
    return `${net}/${n}`;
  });
}

/** TRUST_PROXY: unset/0/false = none; 1/true = any peer; else addresses and ranges (10.0.0.0/8, ::1), comma-separated. */
export function parseTrustProxy(v: string | undefined): boolean | string[] {
  const s = (v ?? '').trim();
  if (!s || s === '0' || s === 'false') return false;
  if (s === '1' || s === 'true') return true;
  return s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    const [net, bits, extra] = x.split('/');
    const fam = isIP(net);
    if (!fam || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > (fam === 6 ? 128 : 32))))
      throw new Error(`TRUST_PROXY: '${x}' is not an address or range (use 1 for any proxy, or e.g. 10.0.0.0/8,127.0.0.1)`);
    return x;
  });
}
