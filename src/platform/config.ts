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
    ...overrides,
  };
}
