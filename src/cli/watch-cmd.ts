import { parseDuration } from '../config/duration.js';
import { BUILTIN_DEFAULTS } from '../config/target.js';
import { parseCommand } from './command-spec.js';
import { targetsFromEndpoints } from './endpoint-targets.js';
import { WATCH } from './specs.js';

/** `porthole watch HOST:PORT…`: the console on targets from the command line, nothing kept. */
export async function runWatch(argv: string[]): Promise<number> {
  const io = { out: process.stdout, err: process.stderr };
  const parsed = parseCommand(WATCH, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const fail = (message: string) => {
    io.err.write(`porthole watch: ${message}\nTry "porthole watch --help".\n`);
    return 2;
  };
  const values = parsed.values as { interval: string; timeout: string; 'no-color'?: boolean };
  const intervalMs = parseDuration(values.interval);
  if (intervalMs === undefined || intervalMs < 200) return fail(`-i expects a duration of at least 200ms, such as "1s", got "${values.interval}"`);
  const timeoutMs = parseDuration(values.timeout);
  if (timeoutMs === undefined || timeoutMs < 50) return fail(`-t expects a duration such as "2s", got "${values.timeout}"`);
  if (parsed.args.length === 0) return fail('give at least one HOST:PORT (or HOST:SERVICE, such as db1:postgres)');
  const targets = targetsFromEndpoints(parsed.args, { ...BUILTIN_DEFAULTS, intervalMs, timeoutMs, retryDelayMs: Math.min(BUILTIN_DEFAULTS.retryDelayMs, intervalMs) });
  if ('error' in targets) return fail(targets.error);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    io.err.write('porthole watch: needs a terminal; in scripts use "porthole check HOST:PORT …"\n');
    return 2;
  }
  const [{ startRuntime }, { localBackend }, { runConsole }, { colorWanted }] = await Promise.all([
    import('../runtime/runtime.js'),
    import('../console/local-backend.js'),
    import('../console/run-console.js'),
    import('../console/terminal.js'),
  ]);
  const runtime = startRuntime({ targets });
  const code = await runConsole({ ...localBackend(runtime), mode: 'watch' }, { color: colorWanted(Boolean(values['no-color'])) });
  process.exit(code);
}
