/**
 * Where links in emails point: PUBLIC_URL when set, else this server on localhost. Never the request's Host header
 * (it could be forged). Every link in a mail is absolute: a mail client has no page to resolve "/leaders" against.
 */
import type { Config } from './config.js';

/** `publicBaseUrl` of a context's settings. */
export const baseUrl = (ctx: { config: Pick<Config, 'publicUrl' | 'port'> }): string => publicBaseUrl(ctx.config);

export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}
