import { sanitize } from '../text/sanitize.js';

/** One thing wrong with a config: where (JSON path) and what was expected. */
export interface Problem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(top level)';
}

/** Problems listed one per line; past this many, a count (a hostile file can hold hundreds of thousands). */
export const MAX_REPORTED = 100;

/** Marks a ConfigError whichever copy of this module made it (see hasInstance). */
const CONFIG_ERROR = Symbol.for('porthole.ConfigError');

export class ConfigError extends Error {
  readonly [CONFIG_ERROR] = true;

  /**
   * `instanceof` by mark, not by class: the installed command's one-shot check is bundled apart from
   * its lazily loaded config reader (src/build/bundle.mjs), so each has its own copy of this class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [CONFIG_ERROR]?: unknown })[CONFIG_ERROR] === true;
  }

  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    this.name = 'ConfigError';
  }

  /** Human-readable report: the file, then one line per problem. */
  report(): string {
    const lines = [`${this.file}: invalid config (${this.problems.length} problem${this.problems.length === 1 ? '' : 's'})`];
    for (const p of this.problems.slice(0, MAX_REPORTED)) {
      const where = p.line !== undefined ? `line ${p.line}, column ${p.column ?? 1}` : p.path;
      lines.push(`  ${where}: ${p.message}`);
    }
    const more = this.problems.length - MAX_REPORTED;
    if (more > 0) lines.push(`  … and ${more} more problem${more === 1 ? '' : 's'} (fix these first, or see the file)`);
    // File names, keys and values come from the file: no escape sequence of theirs reaches a terminal.
    return lines.map((l) => sanitize(l, 2000)).join('\n');
  }
}
