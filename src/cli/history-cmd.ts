import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import { DEFAULT_RETENTION, prune } from '../history/index.js';
import { sanitize } from '../text/sanitize.js';
import { chooseDataDir, openForCommand } from './history-open.js';
import type { HistoryCommandIo } from './report-cmd.js';

export const HISTORY_USAGE = `Usage: porthole history prune [--keep-raw DURATION] [--data-dir DIR] [--config FILE]

Applies retention now and prints what it removed: raw samples older than 48 h (or --keep-raw),
per-minute aggregates older than 30 d, per-hour and per-day aggregates and ended incidents older
than 1 year.
Nothing is removed before it has been summarised into the next level.`;

export function runHistory(args: string[], io: HistoryCommandIo): number {
  const [sub, ...rest] = args;
  if (sub === 'help' || sub === '--help' || sub === '-h') {
    io.out.write(`${HISTORY_USAGE}\n`);
    return 0;
  }
  if (sub !== 'prune') {
    io.err.write(`${HISTORY_USAGE}\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { 'keep-raw': { type: 'string' }, 'data-dir': { type: 'string' }, config: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    io.err.write(`porthole history prune: ${(e as Error).message}\n${HISTORY_USAGE}\n`);
    return 2;
  }
  const rawMs = values['keep-raw'] === undefined ? DEFAULT_RETENTION.rawMs : parseDuration(values['keep-raw']);
  if (rawMs === undefined) {
    io.err.write(`porthole history prune: --keep-raw expects a duration such as 48h, got "${sanitize(values['keep-raw'])}"\n`);
    return 2;
  }
  const { dir } = chooseDataDir(values['data-dir'], values.config, (l) => io.err.write(`${l}\n`), io.env ?? process.env);
  const opened = openForCommand(dir, 'write', io.err);
  if (!opened.ok) return opened.code;
  try {
    const r = prune(opened.history.db, io.now ?? Date.now(), { ...DEFAULT_RETENTION, rawMs });
    io.out.write(
      `pruned ${sanitize(opened.history.file, 500)}: ${r.samples} raw samples, ${r.minuteRows} minute rows, ${r.hourRows} hour rows, ${r.dayRows} day rows, ${r.incidents} incidents\n`,
    );
    return 0;
  } catch (err) {
    io.err.write(`porthole history prune: ${sanitize((err as Error).message, 500)}\n`);
    return 1;
  } finally {
    opened.history.close();
  }
}
