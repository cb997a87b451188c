import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/problems.js';
import { loadConfigFile } from '../config/load.js';
import { rollup } from '../history/index.js';
import { storeFile, openStore, type StoreDb } from '../store/index.js';
import { sanitize } from '../text/sanitize.js';
import { chooseConfig, userDataDir } from './paths.js';

/** Exit code when the history cannot be read or written (usage errors stay 2). */
export const EXIT_HISTORY_UNAVAILABLE = 1;

export interface DataDirChoice {
  dir: string;
  why: 'flag' | 'env' | 'config' | 'default';
}

/**
 * --data-dir, else $PORTHOLE_DATA_DIR, else the config's "dataDir" (relative to the config file),
 * else the OS data dir. `config` is the config when the caller has it loaded already, or what
 * --config says (loaded here; a config that does not load only costs its dataDir, with a warning).
 */
export function chooseDataDir(
  flag: string | undefined,
  config: string | undefined | { file: string; dataDir?: string | undefined },
  warn: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): DataDirChoice {
  if (flag) return { dir: resolve(flag), why: 'flag' };
  if (env.PORTHOLE_DATA_DIR) return { dir: resolve(env.PORTHOLE_DATA_DIR), why: 'env' };
  const loaded = typeof config === 'object' ? config : loadDataDirSetting(config, warn, env);
  if (loaded?.dataDir) return { dir: resolve(dirname(loaded.file), loaded.dataDir), why: 'config' };
  return { dir: userDataDir(env), why: 'default' };
}

function loadDataDirSetting(configFlag: string | undefined, warn: (line: string) => void, env: NodeJS.ProcessEnv): { file: string; dataDir?: string } | undefined {
  const choice = chooseConfig(configFlag, env);
  try {
    const cfg = loadConfigFile(choice.file, env);
    return { file: choice.file, ...(cfg.dataDir ? { dataDir: cfg.dataDir } : {}) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    warn(`porthole: warning: config ${choice.file} did not load, so its "dataDir" (if any) is not used`);
    return undefined;
  }
}

export type CommandHistory = { ok: true; history: StoreDb } | { ok: false; code: number };

/** Opens an existing history for a command; says why on stderr and gives an exit code when it cannot. */
export function openForCommand(dataDir: string, mode: 'read' | 'write', err: NodeJS.WritableStream): CommandHistory {
  const file = storeFile({ dataDir });
  if (!existsSync(file)) {
    err.write(`porthole: no history at ${sanitize(file, 1000)} yet — it is recorded while the console or agent runs (or pass --data-dir)\n`);
    return { ok: false, code: EXIT_HISTORY_UNAVAILABLE };
  }
  const opened = openStore({ dataDir, readonlyFallback: mode === 'read' });
  if (!opened.ok) {
    err.write(`porthole: ${sanitize(opened.problem.message, 1000)}\n  ${sanitize(opened.problem.hint, 1000)}\n`);
    return { ok: false, code: EXIT_HISTORY_UNAVAILABLE };
  }
  for (const w of opened.warnings) err.write(`porthole: warning: ${sanitize(w, 1000)}\n`);
  if (!opened.history.readonly) {
    // Fold in the samples a running console wrote since its last roll-up, so figures reach "now".
    try {
      rollup(opened.history.db, Date.now());
    } catch {
      // Figures then end at the last roll-up: still correct, only older.
    }
  }
  return { ok: true, history: opened.history };
}
