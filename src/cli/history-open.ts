import { existsSync, statSync } from 'node:fs';
import { rollup } from '../history/index.js';
import { storeFile, openStore, type StoreDb } from '../store/index.js';
import { sanitize } from '../text/sanitize.js';

/** Exit code when the history cannot be read or written (usage errors stay 2). */
export const EXIT_HISTORY_UNAVAILABLE = 1;

export type CommandHistory = { ok: true; history: StoreDb } | { ok: false; code: number };

/** Opens an existing history for a command; says why on stderr and gives an exit code when it cannot. */
export function openForCommand(dataDir: string, mode: 'read' | 'write', err: NodeJS.WritableStream): CommandHistory {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    err.write(`porthole: ${sanitize(dataDir, 1000)} is not a directory: --data-dir (or "dataDir", $PORTHOLE_DATA_DIR) names the directory that holds history.sqlite\n`);
    return { ok: false, code: 2 };
  }
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
