// Bundles the compiled CLI (dist/cli/main.js and what it imports) into a few ESM files in dist/bin,
// the installed `porthole` command. Why: Node 20 loads an ES module graph file by file (resolve,
// realpath, package scope, read, compile for each), which made a one-shot `porthole check` start
// ~1.5x slower than `node -e 0`; Node 20 has no module compile cache (module.enableCompileCache is
// Node 22.1+). Each command's code stays a lazily imported chunk, so `check` still loads no console,
// database or mailer. Dependencies stay external (node_modules as installed: the Ink patch edits
// Ink's own files as they load). dist/bin sits at the same depth as dist/<area>, so paths derived
// from import.meta.url (the package root) are the same in both.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../..', import.meta.url);
// Chunk names carry content hashes: start empty so no chunk of an older build is left behind.
rmSync(new URL('dist/bin', root), { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: {
    main: 'dist/cli/main.js',
    // The Ink patch's hooks-thread module is loaded by URL (module.register): it must be a file of its own.
    hook: 'dist/ui/ink-patch/hook.js',
    // discover's helper thread is started by URL (new Worker) from next to the scan: a file of its own too.
    'scan-helper': 'dist/discover/scan-helper.js',
  },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
chmodSync(new URL('dist/bin/main.js', root), 0o755);
