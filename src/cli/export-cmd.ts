import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import { chooseDataDir, openForCommand } from './history-open.js';
import { csvLine, safeJson } from './history-format.js';
import { parseSince, type HistoryCommandIo } from './report-cmd.js';
import { sanitize } from '../text/sanitize.js';

export const EXPORT_USAGE = `Usage: porthole export --format csv|json [--kind samples|incidents] [--since DURATION] [--target ID|NAME]
                       [--data-dir DIR] [--config FILE]

Writes recorded samples (default) or incidents to stdout, oldest first: CSV with a header row, or
JSON lines (one object per line). Samples are kept raw for 48 h; incidents for a year. --since defaults to 24h.`;

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

const iso = (v: unknown): string | null => (typeof v === 'number' ? new Date(v).toISOString() : null);

/** Writes, waiting for the pipe when it is full, so a huge export does not pile up in memory. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

export async function runExport(args: string[], io: HistoryCommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        format: { type: 'string' },
        kind: { type: 'string', default: 'samples' },
        since: { type: 'string', default: '24h' },
        target: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.err.write(`porthole export: ${(e as Error).message}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  const kind = values.kind;
  const sinceMs = parseSince(values.since);
  if ((format !== 'csv' && format !== 'json') || (kind !== 'samples' && kind !== 'incidents') || sinceMs === undefined) {
    io.err.write(`porthole export: expected --format csv|json, --kind samples|incidents and --since DURATION (got ${sanitize(`${format ?? 'no format'}, ${kind}, ${values.since}`)})\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const env = io.env ?? process.env;
  const { dir } = chooseDataDir(values['data-dir'], values.config, (l) => io.err.write(`${l}\n`), env);
  const opened = openForCommand(dir, 'read', io.err);
  if (!opened.ok) return opened.code;
  try {
    const since = (io.now ?? Date.now()) - sinceMs;
    const target = values.target ?? null;
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
