import { parseCommand, type Io } from './command-spec.js';
import { REPORT } from './specs.js';
import { parseDuration } from '../config/duration.js';
import { HistoryQueries, type TargetFigures } from '../history/index.js';
import { sanitize } from '../text/sanitize.js';
import { chooseDataDir } from '../runtime/data-dir.js';
import { openForCommand } from './history-open.js';
import { duration, millis, percent, safeJson, textTable } from './history-format.js';

/** "24h", "7d", "30d" or any duration the config accepts; undefined when it is none. */
export function parseSince(value: string): number | undefined {
  const ms = parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

function rows(figures: readonly TargetFigures[]): string[][] {
  return figures.map((f) => [
    sanitize(f.name, 40),
    percent(f.uptime),
    String(f.incidents),
    duration(f.mttrMs),
    duration(f.longestOutageMs),
    millis(f.p50Ms),
    millis(f.p95Ms),
    String(f.checks),
    duration(f.unknownMs),
  ]);
}

export function runReport(args: string[], io: Io): number {
  const parsed = parseCommand(REPORT, args, io);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values as { since: string; json?: boolean; 'data-dir'?: string; config?: string };
  const sinceMs = parseSince(values.since);
  if (sinceMs === undefined) {
    io.err.write(`porthole report: --since expects a period such as 24h, 7d or 30d, got "${sanitize(values.since)}"\n`);
    return 2;
  }
  const env = io.env ?? process.env;
  const { dir } = chooseDataDir(values['data-dir'], values.config, (l) => io.err.write(`${l}\n`), env);
  const opened = openForCommand(dir, 'read', io.err);
  if (!opened.ok) return opened.code;
  try {
    const to = io.now ?? Date.now();
    const from = to - sinceMs;
    const figures = new HistoryQueries(opened.history.db).figures(from, to);
    if (values.json) {
      io.out.write(`${safeJson({ file: opened.history.file, since: values.since, from, to, targets: figures }, 2)}\n`);
      return 0;
    }
    io.out.write(`porthole report — ${new Date(from).toISOString()} to ${new Date(to).toISOString()} (${sanitize(values.since)}), ${sanitize(opened.history.file, 500)}\n\n`);
    if (figures.length === 0) io.out.write('no targets recorded yet\n');
    else io.out.write(`${textTable(['TARGET', 'UPTIME', 'OUTAGES', 'MTTR', 'LONGEST', 'P50', 'P95', 'CHECKS', 'UNKNOWN'], rows(figures))}\n`);
    io.out.write('\nUptime is time-weighted over the time the target was watched; paused and unwatched time are left out.\n');
    return 0;
  } finally {
    opened.history.close();
  }
}
