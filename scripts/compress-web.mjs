// Writes .br and .gz next to each compressible file of the built web app (dist/web), so the server sends them to
// browsers that accept them (@fastify/static preCompressed) without compressing on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const DIR = 'dist/web';
const TYPES = new Set(['.js', '.css', '.html', '.svg', '.json']);
let before = 0;
let after = 0;
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (TYPES.has(extname(f))) {
      const raw = readFileSync(p);
      if (raw.length < 1024) continue;
      const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
      writeFileSync(`${p}.br`, br);
      writeFileSync(`${p}.gz`, gzipSync(raw, { level: 9 }));
      before += raw.length;
      after += br.length;
    }
  }
};
walk(DIR);
console.log(`compress-web: ${Math.round(before / 1024)} kB → ${Math.round(after / 1024)} kB (brotli)`);
