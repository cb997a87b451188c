import type { Io } from './command-spec.js';
import { groupOf } from './specs.js';

/**
 * For a command with subcommands (config, history, notify): the subcommand's name, or — for
 * `--help`, `help` or nothing — the list of subcommands (exit 0 when asked for, 2 when missing).
 */
export function subcommand(group: string, argv: readonly string[], io: Io): { sub: string; rest: string[] } | { exit: number } {
  const [sub, ...rest] = argv;
  const subs = groupOf(group);
  const names = subs.map((s) => s.name.slice(group.length + 1));
  if (sub !== undefined && names.includes(sub)) return { sub, rest };
  const asked = sub === '--help' || sub === '-h' || sub === 'help';
  const list = subs.map((s) => `  porthole ${s.name.padEnd(18)} ${s.summary}`).join('\n');
  const text = `Usage: porthole ${group} ${names.join('|')} …\n\n${list}\n\n"porthole ${group} SUBCOMMAND --help" prints its options.\n`;
  if (asked) {
    io.out.write(text);
    return { exit: 0 };
  }
  io.err.write(`${sub === undefined ? `porthole ${group}: which one?` : `porthole ${group}: unknown subcommand "${sub}"`}\n${text}`);
  return { exit: 2 };
}
