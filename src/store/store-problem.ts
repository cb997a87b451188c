/** Why history is unavailable, in words that name the file and what to do. */
export type StoreProblemKind = 'readonly' | 'full' | 'corrupt' | 'newer' | 'missing' | 'unavailable';

export interface StoreProblem {
  kind: StoreProblemKind;
  file: string;
  /** One line for a header or stderr: what is wrong and where. */
  message: string;
  /** What the user can do about it. */
  hint: string;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Maps an error from opening or writing the database to a problem a person can act on. */
export function describeFailure(err: unknown, file: string): StoreProblem {
  const code = codeOf(err);
  const msg = messageOf(err);
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || /readonly|read-only/i.test(msg)) {
    return { kind: 'readonly', file, message: `history database ${file} is not writable (${msg})`, hint: 'make the data dir writable, or choose another with --data-dir or "dataDir" in the config (to read a copy, copy the file to a writable dir)' };
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || /disk is full|no space/i.test(msg)) {
    return { kind: 'full', file, message: `no space left for history database ${file}`, hint: 'free disk space, or run "porthole history prune"; monitoring continues meanwhile' };
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || /not a database|malformed/i.test(msg)) {
    return {
      kind: 'corrupt',
      file,
      message: `history database ${file} is damaged or not a porthole database (${msg}); it was left untouched`,
      hint: `move it aside (e.g. mv ${file} ${file}.broken) to start a new history, or try "sqlite3 ${file} .recover"`,
    };
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'ENOTDIR') {
    return { kind: 'unavailable', file, message: `cannot open history database ${file} (${msg})`, hint: 'check that the data dir exists and is a directory you can write to' };
  }
  return { kind: 'unavailable', file, message: `history database ${file} cannot be used (${code ? `${code}: ` : ''}${msg})`, hint: 'check the file and its directory' };
}

export function newerSchemaProblem(file: string, found: number, supported: number): StoreProblem {
  return {
    kind: 'newer',
    file,
    message: `history database ${file} was written by a newer porthole (schema ${found}; this version knows up to ${supported}); it was left untouched`,
    hint: 'upgrade porthole, or point this version at another data dir with --data-dir',
  };
}

export class StoreUnavailable extends Error {
  constructor(readonly problem: StoreProblem) {
    super(problem.message);
    this.name = 'StoreUnavailable';
  }
}
