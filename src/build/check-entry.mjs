// Copied by src/build/bundle.mjs to dist/bin/check-cmd.js: the one-shot check for main.js
// (`node dist/bin/main.js check`) and for the build, which runs a check and then saves the code cache.
// The loader is the installed command's own (porthole.cjs, src/build/bin.cjs).
import bin from './porthole.cjs';

export const { runCheckCmd, saveCodeCache } = bin.loadCheckCmd();
