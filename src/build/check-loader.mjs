// Copied by src/build/bundle.mjs to dist/bin/check-cmd.js: runs the one-shot check's bundle
// (check-cmd.cjs) with the V8 code cache the build saved after running a check (check-cmd.cjs.cache),
// so a check starts without compiling its ~100 KB again, function by function, as Node 20 does for
// every ES module (it has no module compile cache). A cache V8 rejects (another Node, other V8 flags)
// only costs the compile it was meant to save. The cache is the build's: nothing here writes it
// unless the build asks (saveCodeCache). V8 checks a cache against its version, flags and the
// source length, not the source: the build writes both files together, and nothing else should.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';

const url = new URL('./check-cmd.cjs', import.meta.url);
const file = url.pathname;
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The bundle's `import.meta.url` and its lazy `import()`s (rewritten by bundle.mjs) are these
// parameters: they resolve next to it, as from an ES module there.
const source = `(function (exports, require, module, __filename, __dirname, importMetaUrl, importLazy) {${readFileSync(file, 'utf8')}\n})`;
const script = new Script(source, { filename: file, cachedData });
const importLazy = (specifier) => import(new URL(specifier, url).href);
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(url), mod, file, new URL('.', url).pathname, url.href, importLazy);

export const { runCheckCmd } = mod.exports;

/** Called by the build after a check has run: the cache then holds the functions that check compiled. */
export function saveCodeCache() {
  writeFileSync(cacheFile, script.createCachedData());
}
