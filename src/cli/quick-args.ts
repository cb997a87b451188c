import type { CommandSpec, Parsed, Values } from './command-spec.js';

/**
 * The usual shapes of a command line, parsed without util.parseArgs: its first use loads two modules
 * of Node's, ≈ 1% of a one-shot `porthole check`'s start (bench/coldstart), the command that most
 * often starts cold. Only shapes that parseArgs is certain to read the same way are taken: known
 * options as `--name`, `--name VALUE`, `-x`, `-x VALUE` (a VALUE not starting with "-") and
 * positionals. Anything else (`--name=value`, grouped short flags, `--`, a lone "-", an unknown
 * option, --help, too many positionals, a value outside its choices) returns undefined, and the caller
 * parses with parseCommand as before: the same values, the same errors.
 */
export function quickParse(spec: CommandSpec, argv: readonly string[]): Parsed | undefined {
  // parseArgs' values have no prototype either.
  const values = Object.create(null) as Values;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a[0] !== '-') {
      args.push(a);
      continue;
    }
    const name = a[1] === '-' ? a.slice(2) : a.length === 2 ? shortName(spec, a[1]!) : undefined;
    if (name === undefined || name === '' || name === 'help' || name.includes('=') || !Object.hasOwn(spec.options, name)) return undefined;
    const option = spec.options[name]!;
    if (option.type === 'boolean') {
      values[name] = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value[0] === '-') return undefined;
    if (option.choices && !option.choices.includes(value)) return undefined;
    values[name] = value;
    i++;
  }
  if (args.length > (spec.maxArgs ?? 0)) return undefined;
  for (const [name, o] of Object.entries(spec.options)) if (o.default !== undefined && values[name] === undefined) values[name] = o.default;
  return { values, args };
}

function shortName(spec: CommandSpec, short: string): string | undefined {
  for (const [name, o] of Object.entries(spec.options)) if (o.short === short) return name;
  return undefined;
}
