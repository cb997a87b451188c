import { parseCommand, type Io } from './command-spec.js';
import { subcommand } from './group.js';
import { HISTORY_PRUNE } from './specs.js';
import { parseDuration } from '../config/duration.js';
import { DEFAULT_RETENTION, prune } from '../history/index.js';
import { sanitize } from '../text/sanitize.js';
import { chooseDataDir } from '../runtime/data-dir.js';
import { openForCommand } from './history-open.js';

export function runHistory(args: string[], io: Io): number {
  const chosen = subcommand('history', args, io);
  if ('exit' in chosen) return chosen.exit;
  const parsed = parseCommand(HISTORY_PRUNE, chosen.rest, io);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values as { 'keep-raw': string; 'data-dir'?: string; config?: string };
  const rawMs = parseDuration(values['keep-raw']);
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
