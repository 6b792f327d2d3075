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
  trustProxy: boolean;
  runJobs: boolean;
  publicUrl?: string;
  // ---- channels (issue 4); README's settings table lists the env names
  /** Inbound SMTP port (SMTP_PORT); unset = no SMTP listener. */
  smtpPort?: number;
  /** Address the SMTP listener binds (SMTP_HOST, default: HOST). */
  smtpHost: string;
  /** Largest accepted message in bytes (SMTP_MAX_BYTES, default 25 MiB); bigger ones get 552. */
  smtpMaxBytes: number;
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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const int = (name: string, dflt: number) => {
    const v = env[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got '${v}'`);
    return n;
  };
  const cookieSecure = (env.COOKIE_SECURE ?? 'auto') as Config['cookieSecure'];
  if (!['auto', 'always', 'never'].includes(cookieSecure))
    throw new Error(`COOKIE_SECURE must be auto, always or never, got '${cookieSecure}'`);
  return {
    port: int('PORT', 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.EARSHOT_DATA || './earshot-data',
    logLevel: env.LOG_LEVEL || 'info',
    cookieSecure,
    sessionDays: int('SESSION_DAYS', 14),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 10 * 1024 * 1024),
    loginRateLimit: int('LOGIN_RATE_LIMIT', 10),
    publicRateLimit: int('PUBLIC_RATE_LIMIT', 60),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    runJobs: env.EARSHOT_JOBS !== '0',
    publicUrl: env.PUBLIC_URL || undefined,
    smtpPort: env.SMTP_PORT ? int('SMTP_PORT', 0) : undefined,
    smtpHost: env.SMTP_HOST || env.HOST || '0.0.0.0',
    smtpMaxBytes: int('SMTP_MAX_BYTES', 25 * 1024 * 1024),
    smtpTlsKey: env.SMTP_TLS_KEY || undefined,
    smtpTlsCert: env.SMTP_TLS_CERT || undefined,
    smtpOutboundUrl: env.SMTP_OUTBOUND_URL || undefined,
    imapPollMs: int('IMAP_POLL_MS', 60_000),
    amiUrl: env.AMI_URL || undefined,
    queueLogFollow: env.QUEUE_LOG_FOLLOW || undefined,
    queueLogAccount: env.QUEUE_LOG_ACCOUNT || undefined,
    ...overrides,
  };
}
