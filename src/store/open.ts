import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, SCHEMA_VERSION, schemaVersion } from './migrations.js';
import { describeFailure, StoreUnavailable, newerSchemaProblem, type StoreProblem } from './store-problem.js';

export const STORE_FILE_NAME = 'history.sqlite';

export interface OpenStoreOptions {
  /** Directory for the database file; created when missing. */
  dataDir?: string;
  /** The database file itself (overrides dataDir); ':memory:' for tests. */
  file?: string;
  /** Open for reading only: no directory is created, no migration runs. */
  readonly?: boolean;
  /** When the file cannot be written, fall back to reading it (for report and export). */
  readonlyFallback?: boolean;
}

export interface StoreDb {
  db: Database.Database;
  file: string;
  readonly: boolean;
  close(): void;
}

export type OpenStoreResult =
  | { ok: true; history: StoreDb; warnings: string[] }
  | { ok: false; problem: StoreProblem; /** For the console header: monitoring continues without history. */ warning: string };

export function storeFile(options: OpenStoreOptions): string {
  if (options.file) return options.file === ':memory:' ? ':memory:' : resolve(options.file);
  if (!options.dataDir) throw new Error('openStore needs a dataDir or a file');
  return join(resolve(options.dataDir), STORE_FILE_NAME);
}

/**
 * Looks at an existing file read-only before anything may write to it, so that a damaged file or
 * one from a newer porthole is refused untouched (a read-write open would switch it to WAL).
 */
function inspectExisting(file: string): void {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return; // e.g. a WAL file without its -shm in a read-only dir: the real open reports it
  }
  try {
    const version = schemaVersion(probe);
    if (version > SCHEMA_VERSION) throw new StoreUnavailable(newerSchemaProblem(file, version, SCHEMA_VERSION));
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    if (err instanceof StoreUnavailable || ['corrupt', 'full'].includes(describeFailure(err, file).kind)) throw err;
    // Anything else (cannot open read-only here) is for the real open to report.
  } finally {
    probe.close();
  }
}

function configure(db: Database.Database, readonly: boolean): void {
  db.pragma('busy_timeout = 5000');
  if (readonly) return;
  // WAL + synchronous=NORMAL: a commit survives a process crash (SIGKILL); only a power loss may
  // take back the last transactions, never corrupt the file.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && mode !== 'memory') throw new Error(`could not switch to WAL (journal_mode is ${String(mode)})`);
  db.pragma('synchronous = NORMAL');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('temp_store = MEMORY');
}

/** SQLite only says "unable to open database file"; the directory and file permissions say why. */
function checkWritable(file: string): void {
  for (const path of existsSync(file) ? [dirname(file), file] : [dirname(file)]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EACCES';
      throw Object.assign(new Error(`${path} is read-only (${code})`), { code });
    }
  }
}

function openFile(file: string, readonly: boolean): StoreDb {
  if (file !== ':memory:' && existsSync(file)) inspectExisting(file);
  if (file !== ':memory:' && !readonly) checkWritable(file);
  const db = new Database(file, readonly ? { readonly: true, fileMustExist: true } : {});
  try {
    configure(db, readonly);
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw new StoreUnavailable(newerSchemaProblem(file, version, SCHEMA_VERSION));
    if (readonly) {
      if (version < SCHEMA_VERSION) throw new Error(`schema ${version} needs an upgrade, which a read-only open cannot do`);
    } else {
      migrate(db);
      // Proves the file is writable now rather than at the first batch of samples.
      db.prepare("INSERT INTO meta (key, value) VALUES ('last_open', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(Date.now()));
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, file, readonly, close: () => db.close() };
}

function problemOf(err: unknown, file: string): StoreProblem {
  return err instanceof StoreUnavailable ? err.problem : describeFailure(err, file);
}

/**
 * Opens (creating when needed) the history database. Never throws for a bad file or directory: the
 * result says what is wrong, so the console can keep monitoring without history. Never deletes,
 * truncates or rewrites a file it cannot read.
 */
export function openStore(options: OpenStoreOptions): OpenStoreResult {
  const file = storeFile(options);
  const readonly = options.readonly ?? false;
  try {
    if (!readonly && options.dataDir && !options.file) mkdirSync(resolve(options.dataDir), { recursive: true });
    return { ok: true, history: openFile(file, readonly), warnings: [] };
  } catch (err) {
    const problem = problemOf(err, file);
    if (!readonly && options.readonlyFallback && problem.kind === 'readonly' && existsSync(file)) {
      try {
        return { ok: true, history: openFile(file, true), warnings: [`${problem.message}; reading it without writing`] };
      } catch {
        // fall through to the original problem
      }
    }
    return { ok: false, problem, warning: `history off: ${problem.message} — ${problem.hint}` };
  }
}

/** A database that lives only as long as the process: for alerts when the history file cannot be used. */
export function openMemoryStore(): StoreDb {
  return openFile(':memory:', false);
}
