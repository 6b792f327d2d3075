/**
 * Scripts that run on the customer's own pages (the chat widget, the survey prompt it loads on demand): read once from
 * beside the module (in dist/ `npm run build` copies them there: scripts/copy-assets.mjs) and served to any origin,
 * cached for five minutes and revalidated by ETag.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { App } from '../../../server/types.js';

export function serveEmbedScript(app: App, route: string, file: URL) {
  const path = fileURLToPath(file);
  if (!existsSync(path)) throw new Error(`${path} is missing; run npm run build (it copies src assets into dist)`);
  const js = readFileSync(path, 'utf8');
  const etag = `"${createHash('sha256').update(js).digest('hex').slice(0, 20)}"`;
  const schema = {
    hide: true,
    response: {
      200: { content: { 'application/javascript': { schema: Type.String({ description: 'the script' }) } } },
      304: Type.Null({ description: 'not modified (If-None-Match matched the ETag)' }),
    },
  };
  app.get(route, { schema, config: { auth: false } }, async (req, reply) => {
    // Another origin must be allowed to load it as a script.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    reply.header('cache-control', 'public, max-age=300');
    reply.header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send(null);
    return reply.type('application/javascript; charset=utf-8').send(js);
  });
}
