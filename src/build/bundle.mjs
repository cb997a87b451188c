// Bundles the compiled CLI (dist/cli/main.js and what it imports) into a few ESM files in dist/bin,
// behind the installed `porthole` command (dist/bin/porthole.cjs, src/build/bin.cjs). Why: Node 20 loads an ES module graph file by file (resolve,
// realpath, package scope, read, compile for each), which made a one-shot `porthole check` start
// ~1.5x slower than `node -e 0`; Node 20 has no module compile cache (module.enableCompileCache is
// Node 22.1+). Each command's code stays a lazily imported chunk, so `check` still loads no console,
// database or mailer. Dependencies stay external (node_modules as installed: the Ink patch edits
// Ink's own files as they load). dist/bin sits at the same depth as dist/<area>, so paths derived
// from import.meta.url (the package root) are the same in both.
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = new URL('../..', import.meta.url);
// Chunk names carry content hashes: start empty so no chunk of an older build is left behind.
rmSync(new URL('dist/bin', root), { recursive: true, force: true });
const common = {
  absWorkingDir: root.pathname,
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};
// main.js loads the one-shot check from the second build below, not from chunks of this one.
const checkApart = {
  name: 'check-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/check-cmd\.js$/ }, (args) =>
      args.importer.endsWith('/dist/cli/main.js') ? { path: './check-cmd.js', external: true } : undefined,
    );
  },
};
// discover, apart too (the build after check's): its scan path is one ESM file, dist/bin/discover-cmd.js,
// instead of main.js + 8 chunks (Node 20 resolves, reads and compiles each: see README, Discover,
// "Start-up"). Its lazy imports (DISCOVER_LAZY: names, banners, --write, the JS scan) are entry
// points of this build with stable names; one not in that list fails the build.
const DISCOVER_LAZY = ['dist/probe/resolve.js', 'dist/discover/identify.js', 'dist/discover/config-out.js', 'dist/discover/js-scan.js'];
const discoverLazyName = (rel) => `discover-lazy-${rel.replace(/^dist\//, '').replace(/\.js$/, '').replaceAll('/', '-')}`;
const discoverApart = {
  name: 'discover-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/discover-cmd\.js$/ }, (args) =>
      args.importer.endsWith('/dist/cli/main.js') ? { path: './discover-cmd.js', external: true } : undefined,
    );
  },
};
await build({
  ...common,
  entryPoints: {
    main: 'dist/cli/main.js',
    // The Ink patch's hooks-thread module is loaded by URL (module.register): it must be a file of its own.
    hook: 'dist/ui/ink-patch/hook.js',
    // discover's helper thread is started by URL (new Worker) from next to the scan: a file of its own too.
    'scan-helper': 'dist/discover/scan-helper.js',
    ...Object.fromEntries(DISCOVER_LAZY.map((rel) => [discoverLazyName(rel), rel])),
  },
  plugins: [checkApart, discoverApart],
});
await build({
  ...common,
  entryPoints: { 'discover-cmd': 'dist/cli/discover-cmd.js' },
  splitting: false,
  plugins: [
    {
      name: 'discover-lazy',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind !== 'dynamic-import' || !args.path.startsWith('.')) return undefined;
          const rel = relative(root.pathname, resolve(args.resolveDir, args.path));
          if (rel === 'dist/config/service-ports.js') return undefined; // a table, no imports: inlined
          if (DISCOVER_LAZY.includes(rel)) return { path: `./${discoverLazyName(rel)}.js`, external: true };
          return { errors: [{ text: `the discover bundle met a lazy import it has no rule for: ${rel} (add it to DISCOVER_LAZY in src/build/bundle.mjs)` }] };
        });
      },
    },
  ],
});
// The one-shot check, built apart so that its TCP path is one file (check-cmd.cjs, run with a V8 code
// cache by porthole.cjs, src/build/bin.cjs): split together with every other
// command, esbuild cut it into ~20 chunks (one per set of importers) and Node 20 pays for each file
// (resolve, realpath, read, compile, a round trip per level of imports). Its lazy imports are of two
// sorts. INLINE ones are light and wanted by a plain TCP check: bundled into check-cmd.cjs. LAZY ones
// import zod, node:http, node:tls...: a bundle without splitting would hoist those imports to the top
// of check-cmd.cjs, so they stay lazy, built by a third, split build into check-lazy-*.js files.
// A lazy import in neither list fails the build rather than silently loading more at every check.
// Modules both sides use exist twice in a process that loads a lazy file: only ConfigError crosses
// that line by class (see config/problems.ts); the rest is plain data.
const INLINE = ['dist/probe/tcp.js'];
const LAZY = ['dist/config/load.js', 'dist/diagnosis/diagnose.js', 'dist/checks/http/check.js', 'dist/checks/dns/run.js', 'dist/checks/ping/run.js', 'dist/checks/domain/shared.js', 'dist/probe/layered.js'];
const lazyName = (rel) => `check-lazy-${rel.replace(/^dist\//, '').replace(/\.js$/, '').replaceAll('/', '-')}`;
const checkLazySplit = {
  name: 'check-lazy-split',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.path.startsWith('.')) return undefined;
      const rel = relative(root.pathname, resolve(args.resolveDir, args.path));
      if (INLINE.includes(rel)) return undefined;
      if (LAZY.includes(rel)) return { path: `./${lazyName(rel)}.js`, external: true };
      return { errors: [{ text: `the check bundle met a lazy import it has no rule for: ${rel} (add it to INLINE or LAZY in src/build/bundle.mjs)` }] };
    });
  },
};
// The check's code reads the clock through the global `performance`, whose first use loads perf_hooks
// (eight modules of Node's, ≈ 1 ms of a 55 ms start): in the check's bundles it is check-clock.mjs,
// the same monotonic clock without them. Both bundles get it, so that times handed from one to the
// other agree; a use of `performance` other than now() fails the build.
const clock = {
  inject: ['src/build/check-clock.mjs'],
  metafile: true,
};
function onlyPerformanceNow(result) {
  for (const input of Object.keys(result.metafile.inputs)) {
    if (!input.startsWith('dist/')) continue;
    const other = readFileSync(new URL(input, root), 'utf8').match(/\bperformance\b(?!\.now\(\))[^\n]{0,40}/);
    if (other) throw new Error(`${input}: "${other[0]}": the check bundle's clock (src/build/check-clock.mjs) has only performance.now()`);
  }
}
// node:module, for createRequire only, is check-require.mjs in the CommonJS bundle, which has a require.
const moduleAsRequire = {
  name: 'module-as-require',
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, () => ({ path: new URL('src/build/check-require.mjs', root).pathname }));
  },
};
onlyPerformanceNow(
  await build({
    ...common,
    ...clock,
    entryPoints: { 'check-cmd': 'dist/cli/check-cmd.js' },
    splitting: false,
    // CommonJS, run by porthole.cjs (src/build/bin.cjs) through vm.Script with a V8 code cache (below).
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    define: { 'import.meta.url': 'importMetaUrl' },
    plugins: [checkLazySplit, moduleAsRequire],
  }),
);
// Its lazy imports go through the loader's own import(): an import() inside a vm.Script needs a
// callback that Node 20 calls experimental (a warning on stderr) and drops for code from a cache.
const cjs = new URL('dist/bin/check-cmd.cjs', root);
const lazied = readFileSync(cjs, 'utf8').replace(/\bimport\((?=")/g, 'importLazy(');
if (/\bimport\(/.test(lazied)) throw new Error('dist/bin/check-cmd.cjs: an import() the build could not hand to the loader');
writeFileSync(cjs, lazied);
// The installed command (package.json's bin): CommonJS, it runs a check itself and hands every other
// command to main.js. check-cmd.js is the same loader for main.js (`node dist/bin/main.js check`).
copyFileSync(new URL('src/build/bin.cjs', root), new URL('dist/bin/porthole.cjs', root));
copyFileSync(new URL('src/build/check-entry.mjs', root), new URL('dist/bin/check-cmd.js', root));
onlyPerformanceNow(
  await build({
    ...common,
    ...clock,
    entryPoints: Object.fromEntries(LAZY.map((rel) => [lazyName(rel), rel])),
    chunkNames: 'check-lazy-chunk-[hash]',
  }),
);
chmodSync(new URL('dist/bin/main.js', root), 0o755);
chmodSync(new URL('dist/bin/porthole.cjs', root), 0o755);

// The code cache: run one check (a refused port on loopback, taken and closed here) in this process,
// then save what V8 compiled for it. Where no loopback port can be taken, the check runs uncached.
const port = await new Promise((done) => {
  const s = createServer();
  s.once('error', () => done(undefined));
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => done(p));
  });
});
if (port === undefined) {
  console.warn('bundle: no loopback port to run a check on; dist/bin/check-cmd.cjs has no code cache');
} else {
  const loader = await import(new URL('dist/bin/check-cmd.js', root).href);
  const quiet = new Writable({ write: (_chunk, _enc, next) => next() });
  await loader.runCheckCmd(['-H', '127.0.0.1', '-p', String(port), '--retries', '0'], quiet);
  loader.saveCodeCache();
}
