// Copies the non-TypeScript files that modules read at run time (the chat widget, data files) from src/ to dist/,
// after tsc, so the built package (`npm start`, bin/earshot.js) finds them next to its modules.
import { cpSync, readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, extname } from 'node:path';

const ASSET = new Set(['.js', '.css', '.json', '.html', '.txt', '.svg']);
let n = 0;
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (ASSET.has(extname(f)) && !existsSync(p.replace(/\.js$/, '.ts'))) {
      const out = join('dist', p.slice('src/'.length));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
      n++;
    }
  }
};
walk('src');
console.log(`copy-assets: ${n} file(s) copied into dist/`);
