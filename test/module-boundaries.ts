/**
 * Where one module ends and the next begins, for the import-graph and table-ownership tests: `channels/<c>` for
 * src/modules/channels/<c>/…, `<m>` for src/modules/<m>/… (so the files directly in src/modules/channels/ are the
 * shared `channels` module), null for the contract (src/modules/module.ts), the registry (src/modules/index.ts) and
 * everything outside src/modules/. Paths are relative to the repository root, with `/`.
 */
export function moduleOf(file: string): string | null {
  const channel = /^src\/modules\/channels\/([^/]+)\/./.exec(file);
  if (channel) return `channels/${channel[1]}`;
  const m = /^src\/modules\/([^/]+)\/./.exec(file);
  return m ? m[1] : null;
}

/** The name a module registers under (its `name` in MODULES): the folder, without `channels/` for a channel. */
export const moduleName = (folder: string) => folder.replace(/^channels\//, '');
