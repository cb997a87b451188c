// Copied by src/build/bundle.mjs to dist/bin/check-cmd.js: the one-shot check for main.js
// (`node dist/bin/main.js check`) and for the build, which runs a check and then saves the code cache.
// The loader is the installed command's own (porthole.cjs, src/build/bin.cjs), loaded by require:
// importing a CommonJS file from an ES module would first scan it for its exports (cjs-module-lexer).
import { createRequire } from 'node:module';

export const { runCheckCmd, saveCodeCache } = createRequire(import.meta.url)('./porthole.cjs').loadCheckCmd();
