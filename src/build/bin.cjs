#!/usr/bin/env node
// The installed `porthole` command (copied by src/build/bundle.mjs to dist/bin/porthole.cjs, the
// package's bin). Every command but `check` goes on to the ES module bundle (main.js) unchanged. A
// one-shot `check` starts here because this file is CommonJS: an ES module entry makes Node 20 load
// and run its ES module loader first (≈ 5% of `node -e 0`), and the check's own bundle
// (check-cmd.cjs) needs nothing of it.
//
// The check runs with the V8 code cache the build saved after running a check (check-cmd.cjs.cache),
// so it starts without compiling its ~100 KB again function by function: Node 20 has no module
// compile cache (module.enableCompileCache is Node 22.1+), and vm.Script is the only way to hand V8 a
// cache. A cache V8 rejects (another Node, other V8 flags) only costs the compile it was meant to
// save. V8 checks a cache against its version, flags and the source length, not the source: the build
// writes both files together, and nothing else should. main.js reaches the same loader through
// check-cmd.js (`node dist/bin/main.js check`), and the build through it saves the cache.
'use strict';

/** Runs check-cmd.cjs (with its code cache when there is one) and returns what it exports. */
function loadCheckCmd() {
  const { readFileSync, writeFileSync } = require('node:fs');
  const { Script } = require('node:vm');
  const file = `${__dirname}/check-cmd.cjs`;
  const url = require('node:url').pathToFileURL(file);
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The bundle's `import.meta.url` and its lazy `import()`s (rewritten by bundle.mjs) are these
  // parameters: they resolve next to it, as from an ES module there. An import() inside a vm.Script
  // needs a callback that Node 20 calls experimental and drops for code from a cache: this file's
  // own import() does the work instead.
  const source = `(function (exports, require, module, __filename, __dirname, importMetaUrl, importLazy) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const importLazy = (specifier) => import(new URL(specifier, url).href);
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, file, __dirname, url.href, importLazy);
  return {
    runCheckCmd: mod.exports.runCheckCmd,
    /** Called by the build after a check has run: the cache then holds the functions that check compiled. */
    saveCodeCache: () => writeFileSync(cacheFile, script.createCachedData()),
  };
}

/** `porthole check …` as main.js runs it: the same exit codes, the same closed-pipe and internal-error handling. */
function runCheck(argv) {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  new Promise((resolve) => resolve(loadCheckCmd().runCheckCmd(argv))).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      if (err?.code === 'EPIPE') {
        process.exitCode = 0;
        return;
      }
      const detail = err instanceof Error ? (process.env.PORTHOLE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
      process.stderr.write(`porthole: internal error: ${detail}\n`);
      process.exitCode = 70;
    },
  );
}

module.exports = { loadCheckCmd };

if (require.main === module) {
  if (process.argv[2] === 'check') runCheck(process.argv.slice(3));
  else import('./main.js');
}
