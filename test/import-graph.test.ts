/**
 * The import graph of src/ has no circles, no module under src/modules/ imports the CLI (src/cli/), and a file imports
 * another module only through that module's index.ts (its public face).
 * Walks every .ts file in src/, reads its relative imports (`import … from`, `export … from`, side-effect `import '…'`
 * and dynamic `import('…')`, type-only ones too), resolves `.js` specifiers to the `.ts` source, and looks for cycles.
 * The first two tests run the same checks on small synthetic graphs, so they are known to fail when they should.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { moduleOf } from './module-boundaries.js';

type Graph = Map<string, string[]>;

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** Relative specifiers a file imports: static, re-export, side-effect and dynamic imports (comments stripped). */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const specs = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, // import x from '…', export { x } from '…'
    /\bimport\s*['"]([^'"]+)['"]/g, // import '…'
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, // import('…')
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1].startsWith('.')) specs.add(m[1]);
  return [...specs];
}

/** The .ts file a relative specifier names (`./x.js` → `./x.ts`, `./dir` → `./dir/index.ts`), or undefined. */
function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => /\.m?ts$/.test(c) && existsSync(c) && statSync(c).isFile());
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.m?ts$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** File → files it imports (paths relative to the repository root, with `/`). Unresolvable specifiers are reported. */
function srcGraph(): { graph: Graph; unresolved: string[] } {
  const rel = (p: string) => relative(ROOT, p).split(sep).join('/');
  const graph: Graph = new Map();
  const unresolved: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const deps: string[] = [];
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, spec);
      if (target) deps.push(rel(target));
      else unresolved.push(`${rel(file)} → ${spec}`);
    }
    graph.set(rel(file), deps);
  }
  return { graph, unresolved };
}

/** Every strongly connected component with more than one file (or a file importing itself), as one cycle path each. */
export function findCycles(graph: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  // One concrete loop per component, so the failure names the files in import order.
  return components.map((comp) => {
    const inComp = new Set(comp);
    const start = [...comp].sort()[0];
    const prev = new Map<string, string>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!inComp.has(w)) continue;
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(prev.get(path[0])!);
          return [...path, start];
        }
        if (!seen.has(w)) {
          seen.add(w);
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

/** Imports from a module folder (src/modules/…) into the CLI (src/cli/…). */
export function moduleCliImports(graph: Graph): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph)
    if (file.startsWith('src/modules/')) for (const d of deps) if (d.startsWith('src/cli/')) out.push(`${file} → ${d}`);
  return out;
}

/** Imports that reach into another module past its index.ts, as `importer → imported`; src/cli, src/demo, src/server too. */
export function deepImports(graph: Graph): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph)
    for (const d of deps) {
      const target = moduleOf(d);
      if (!target || target === moduleOf(file) || d === `src/modules/${target}/index.ts`) continue;
      // The registry alone imports each module's object, from <module>/<name>.module.ts.
      if (file === 'src/modules/index.ts' && d === `src/modules/${target}/${target.split('/').pop()}.module.ts`) continue;
      out.push(`${file} → ${d}`);
    }
  return out;
}

/**
 * Deep imports that would close a circle between two modules if they went through index.ts (an index re-exports the
 * module's services; the module object with routes and pages lives apart in <name>.module.ts, which only the registry
 * imports, so public faces stay light). Each is a real two-way dependency between modules, to be cut by moving code or by a
 * hook the lower module offers; the list only shrinks (an entry that no longer exists fails the test, so it is removed).
 */
const PENDING_DEEP_IMPORTS: string[] = [
  // Empty: modules import each other only through index.ts. A new entry needs a hook or an export there instead.
];

test('the checks fail on a synthetic graph with a circle and a module importing the CLI', () => {
  const graph: Graph = new Map([
    ['src/server/app.ts', ['src/modules/a/a.routes.ts', 'src/platform/db.ts']],
    ['src/modules/a/a.routes.ts', ['src/modules/a/a.service.ts']],
    ['src/modules/a/a.service.ts', ['src/server/app.ts', 'src/cli/db.ts']],
    ['src/cli/db.ts', ['src/platform/db.ts']],
    ['src/platform/db.ts', []],
    ['src/x.ts', ['src/x.ts']],
  ]);
  const cycles = findCycles(graph);
  assert.equal(cycles.length, 2);
  const loop = cycles.find((c) => c.length > 2)!;
  assert.deepEqual(loop, ['src/modules/a/a.routes.ts', 'src/modules/a/a.service.ts', 'src/server/app.ts', 'src/modules/a/a.routes.ts']);
  assert.ok(cycles.some((c) => c.join() === 'src/x.ts,src/x.ts'));
  assert.deepEqual(moduleCliImports(graph), ['src/modules/a/a.service.ts → src/cli/db.ts']);
  // The same graph without the back edges passes.
  graph.set('src/modules/a/a.service.ts', ['src/platform/db.ts']);
  graph.set('src/x.ts', []);
  assert.deepEqual(findCycles(graph), []);
  assert.deepEqual(moduleCliImports(graph), []);
});

test('the public-face check fails on a synthetic import past another module\'s index.ts', () => {
  const graph: Graph = new Map([
    ['src/server/app.ts', ['src/modules/index.ts', 'src/modules/a/a.routes.ts']],
    ['src/modules/index.ts', ['src/modules/a/index.ts', 'src/modules/channels/c/index.ts']],
    ['src/modules/a/index.ts', ['src/modules/a/a.service.ts', 'src/modules/module.ts']],
    ['src/modules/a/a.service.ts', ['src/modules/b/b.service.ts', 'src/modules/b/index.ts', 'src/modules/a/util.ts']],
    ['src/modules/channels/c/index.ts', ['src/modules/channels/deliver.ts', 'src/modules/channels/c/x.ts']],
    ['src/modules/channels/c/x.ts', ['src/modules/channels/d/y.ts', 'src/modules/channels/index.ts']],
    ['src/modules/channels/deliver.ts', ['src/modules/channels/combine.ts', 'src/modules/channels/c/index.ts']],
  ]);
  assert.deepEqual(deepImports(graph).sort(), [
    'src/modules/a/a.service.ts → src/modules/b/b.service.ts',
    'src/modules/channels/c/index.ts → src/modules/channels/deliver.ts',
    'src/modules/channels/c/x.ts → src/modules/channels/d/y.ts',
    'src/server/app.ts → src/modules/a/a.routes.ts',
  ]);
  assert.equal(moduleOf('src/modules/channels/combine.ts'), 'channels');
  assert.equal(moduleOf('src/modules/module.ts'), null);
  assert.equal(moduleOf('src/modules/index.ts'), null);
});

test('import specifiers are read from every import form, type-only ones included', () => {
  const src = [
    "import type { App } from '../../server/app.js';",
    "import {\n  a,\n  type B,\n} from './multi.js';",
    "export { x } from './reexport.js';",
    "export * from './star.js';",
    "import './side-effect.js';",
    "const m = await import('../lazy.js');",
    "import Fastify from 'fastify';",
    "// import { gone } from './commented.js';",
    "/* import { gone } from './block-commented.js'; */",
    "const url = 'http://example.com/x'; import { y } from './after-url.js';",
  ].join('\n');
  assert.deepEqual(importSpecifiers(src).sort(), [
    '../../server/app.js',
    '../lazy.js',
    './after-url.js',
    './multi.js',
    './reexport.js',
    './side-effect.js',
    './star.js',
  ]);
});

test('src/ has no import circles and every relative import resolves', () => {
  const { graph, unresolved } = srcGraph();
  assert.ok(graph.size > 100, `expected to walk the whole of src/, walked ${graph.size} files`);
  assert.deepEqual(unresolved, [], 'relative imports that name no .ts file');
  const cycles = findCycles(graph);
  assert.equal(cycles.length, 0, `import circles in src/:\n${cycles.map((c) => `  ${c.join('\n    → ')}`).join('\n')}`);
});

test('no module under src/modules/ imports the CLI (src/cli/)', () => {
  const { graph } = srcGraph();
  assert.deepEqual(moduleCliImports(graph), [], 'modules importing src/cli/ (the CLI hands them what they need)');
});

test('a file imports another module only through its index.ts (src/cli, src/demo and src/server too)', () => {
  const { graph } = srcGraph();
  const deep = deepImports(graph);
  const pending = new Set(PENDING_DEEP_IMPORTS);
  const offenders = deep.filter((d) => !pending.has(d));
  assert.deepEqual(offenders, [], `imports past another module's index.ts (import from '<module>/index.js', and re-export there what is missing):\n  ${offenders.join('\n  ')}\n`);
  const gone = PENDING_DEEP_IMPORTS.filter((d) => !deep.includes(d));
  assert.deepEqual(gone, [], 'PENDING_DEEP_IMPORTS entries that no longer exist: remove them from the list');
});
