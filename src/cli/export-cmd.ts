import { parseCommand, type Io } from './command-spec.js';
import { EXPORT } from './specs.js';
import type Database from 'better-sqlite3';
import { chooseDataDir } from '../runtime/data-dir.js';
import { openForCommand } from './history-open.js';
import { csvLine, safeJson } from './history-format.js';
import { parseSince } from './report-cmd.js';
import { sanitize } from '../text/sanitize.js';
import { didYouMean } from '../config/suggest.js';

const SAMPLE_COLUMNS = ['time', 'target_id', 'target', 'location', 'outcome', 'state', 'dns_ms', 'connect_ms', 'cause'] as const;
const INCIDENT_COLUMNS = ['started', 'ended', 'duration_ms', 'target_id', 'target', 'location', 'from', 'to', 'cause', 'evidence', 'ended_by'] as const;

function sampleRows(db: Database.Database, since: number, target: string | null): IterableIterator<unknown[]> {
  return db
    .prepare(
      `SELECT s.at, t.key, t.name, s.location, s.outcome, s.state, s.dns_us / 1000.0, s.connect_us / 1000.0, s.cause
       FROM samples s JOIN targets t ON t.id = s.target
       WHERE s.at >= @since AND (@target IS NULL OR t.key = @target OR t.name = @target) ORDER BY s.at, s.rowid`,
    )
    .raw()
    .iterate({ since, target }) as IterableIterator<unknown[]>;
}

function incidentRows(db: Database.Database, since: number, target: string | null): IterableIterator<unknown[]> {
  return db
    .prepare(
      `SELECT i.started, i.ended, i.ended - i.started, t.key, t.name, i.location, i.from_state, i.to_state, i.cause, i.evidence, i.ended_by
       FROM incidents i JOIN targets t ON t.id = i.target
       WHERE (i.ended IS NULL OR i.ended >= @since) AND (@target IS NULL OR t.key = @target OR t.name = @target) ORDER BY i.started, i.id`,
    )
    .raw()
    .iterate({ since, target }) as IterableIterator<unknown[]>;
}

/** Why --target names no recorded target (with the nearest name and the known ones), or undefined. */
function unknownTarget(db: Database.Database, target: string): string | undefined {
  const known = db.prepare('SELECT key, name FROM targets ORDER BY name').all() as { key: string; name: string }[];
  if (known.some((t) => t.key === target || t.name === target)) return undefined;
  const names = known.map((t) => t.name);
  const guess = didYouMean(target, names);
  const list = names.length === 0 ? 'none is recorded yet' : `known: ${names.slice(0, 20).map((n) => sanitize(n, 60)).join(', ')}${names.length > 20 ? `, … (${names.length} in all)` : ''}`;
  return `no target "${sanitize(target, 80)}" in the history${guess ? ` — did you mean "${sanitize(guess, 80)}"?` : ''} (${list})`;
}

const iso = (v: unknown): string | null => (typeof v === 'number' ? new Date(v).toISOString() : null);

/** Writes, waiting for the pipe when it is full, so a huge export does not pile up in memory. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

export async function runExport(args: string[], io: Io): Promise<number> {
  const parsed = parseCommand(EXPORT, args, io);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values as { format?: string; kind: string; since: string; target?: string; 'data-dir'?: string; config?: string };
  const format = values.format;
  const kind = values.kind;
  const sinceMs = parseSince(values.since);
  if (format === undefined) {
    io.err.write('porthole export: --format csv or --format json is needed\nTry "porthole export --help".\n');
    return 2;
  }
  if (sinceMs === undefined) {
    io.err.write(`porthole export: --since expects a period such as 24h, 7d or 30d, got "${sanitize(values.since)}"\n`);
    return 2;
  }
  const env = io.env ?? process.env;
  const { dir } = chooseDataDir(values['data-dir'], values.config, (l) => io.err.write(`${l}\n`), env);
  const opened = openForCommand(dir, 'read', io.err);
  if (!opened.ok) return opened.code;
  try {
    const since = (io.now ?? Date.now()) - sinceMs;
    const target = values.target ?? null;
    if (target !== null) {
      const unknown = unknownTarget(opened.history.db, target);
      if (unknown) {
        io.err.write(`porthole export: ${unknown}\n`);
        return 2;
      }
    }
    const columns = kind === 'samples' ? SAMPLE_COLUMNS : INCIDENT_COLUMNS;
    const rows = kind === 'samples' ? sampleRows(opened.history.db, since, target) : incidentRows(opened.history.db, since, target);
    if (format === 'csv') await write(io.out, csvLine(columns));
    for (const row of rows) {
      // Times as ISO 8601 in CSV (spreadsheets), epoch ms in JSON (scripts).
      if (format === 'csv') {
        const cells = row.map((v, i) => (columns[i] === 'time' || columns[i] === 'started' || columns[i] === 'ended' ? iso(v) : (v as string | number | null)));
        await write(io.out, csvLine(cells));
      } else {
        await write(io.out, `${safeJson(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))}\n`);
      }
    }
    return 0;
  } finally {
    opened.history.close();
  }
}
