/**
 * Headless Chromium for the browser tests and the web benchmark: Debian's /usr/bin/chromium (CHROMIUM overrides) with
 * DESIGN.md's flags, driven by playwright-core; and a host page on another origin, for embedding the chat widget.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Why Chromium cannot run here (false when it can). */
export const CHROMIUM_MISSING: string | false = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (Debian package 'chromium')`;

/** DESIGN.md's flags for headless Chromium in containers and CI. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  // launch() gives Chromium a fresh profile in a temporary folder of its own (it refuses --user-data-dir).
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Serves one HTML page on a loopback port of its own (another origin than the server under test). */
export async function serveHtml(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
