import { parseArgs } from 'node:util';
import { sanitize } from '../text/sanitize.js';

/**
 * Every command is declared once (name, synopsis, options, positionals); its help text, its usage
 * errors and the shell completion are all made from that declaration. Parsing is Node's own
 * util.parseArgs: nothing to load at start-up.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in help: FILE, DIR, DURATION… */
  value?: string;
  help: string;
  default?: string;
  /** The values it takes: checked when parsing, offered by completion. */
  choices?: readonly string[];
  /** What completion offers for the value. */
  complete?: 'file' | 'dir' | 'host';
}

export interface CommandSpec {
  /** As typed: "report", "history prune". */
  name: string;
  /** One line for `porthole help`. */
  summary: string;
  /** The synopsis lines, after "Usage: porthole ". */
  usage: readonly string[];
  /** What it does, a paragraph or two. */
  about: string;
  options: Readonly<Record<string, OptionSpec>>;
  /** Positional arguments: placeholder for help, and what completion offers. */
  args?: { name: string; complete?: 'file' | 'dir' | 'host'; choices?: readonly string[] };
  /** Most positional arguments (default: none allowed). */
  maxArgs?: number;
  /** Exit code for a usage error: 2, or 3 (UNKNOWN) for commands whose codes are Nagios'. */
  usageExit?: number;
}

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  /** Fixed clock for tests. */
  now?: number;
}

export type Values = Record<string, string | boolean | undefined>;
export type Parsed = { values: Values; args: string[] };

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'this text' };

function optionLabel(name: string, o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : '    ';
  const value = o.type === 'string' ? ` ${o.choices ? o.choices.join('|') : (o.value ?? 'VALUE')}` : '';
  return `  ${short}--${name}${value}`;
}

export function helpText(spec: CommandSpec): string {
  const options = { ...spec.options, help: HELP };
  const labels = Object.entries(options).map(([n, o]) => [optionLabel(n, o), o] as const);
  const width = Math.min(34, Math.max(...labels.map(([l]) => l.length)) + 2);
  const lines = labels.map(([label, o]) => {
    const text = `${o.help}${o.default !== undefined ? ` (default ${o.default})` : ''}`;
    return label.length >= width ? `${label}\n${' '.repeat(width)}${text}` : `${label.padEnd(width)}${text}`;
  });
  const usage = spec.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}porthole ${u}`).join('\n');
  return `${usage}\n\n${spec.about}\n\nOptions:\n${lines.join('\n')}\n`;
}

/**
 * Parses a command's arguments. `--help` prints the help and ends with 0; a usage error prints what
 * is wrong and how to get help (or hands the message to `report`), and ends with the command's usage
 * exit code.
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[], io: Io, report?: (message: string) => void): Parsed | { exit: number } {
  const fail = (message: string): { exit: number } => {
    if (report) report(sanitize(message, 300));
    else io.err.write(`porthole ${spec.name}: ${sanitize(message, 300)}\nTry "porthole ${spec.name} --help".\n`);
    return { exit: spec.usageExit ?? 2 };
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out.write(helpText(spec));
    return { exit: 0 };
  }
  let parsed;
  try {
    const options = Object.fromEntries(
      Object.entries(spec.options).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) }]),
    );
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    return fail(err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '') : String(err));
  }
  const args = parsed.positionals;
  if (args.length > (spec.maxArgs ?? 0)) return fail(`unexpected argument "${args[spec.maxArgs ?? 0]}"`);
  const values = parsed.values as Values;
  for (const [name, o] of Object.entries(spec.options)) {
    const v = values[name];
    if (o.choices && typeof v === 'string' && !o.choices.includes(v)) return fail(`--${name} expects ${o.choices.join(' or ')}, got "${v}"`);
  }
  return { values, args };
}

export function stringValue(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
