import { ConfigError } from '../config/problems.js';
import { EXIT_BAD_CONFIG } from '../check/exit-codes.js';

export const UI_USAGE = `Usage: porthole [ui] [--config FILE] [--data-dir DIR] [--agent URL] [--local] [--no-color]

Opens the live console. With an agent running on this data dir (porthole agent), the console attaches
to it and quitting stops nothing; --agent URL attaches to another one; --local runs the checks in the
console itself, as without an agent.`;

interface UiArgs {
  config?: string;
  dataDir?: string;
  agent?: string;
  local: boolean;
  noColor: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): UiArgs | string {
  const out: UiArgs = { noColor: false, local: false, help: false };
  const value = (i: number, name: string): string | undefined => {
    const v = argv[i];
    return v && !v.startsWith('-') ? v : undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = (name: string): string | undefined => inline ?? value(++i, name);
    if (flag === '--no-color') out.noColor = true;
    else if (flag === '--local') out.local = true;
    else if (flag === '--help' || flag === '-h') out.help = true;
    else if (flag === '--config' || flag === '-c') {
      const v = take('--config');
      if (!v) return '--config needs a file';
      out.config = v;
    } else if (flag === '--data-dir') {
      const v = take('--data-dir');
      if (!v) return '--data-dir needs a directory';
      out.dataDir = v;
    } else if (flag === '--agent') {
      const v = take('--agent');
      if (!v) return '--agent needs a URL such as http://127.0.0.1:9105';
      out.agent = v;
    } else return `unknown option "${a}"`;
  }
  if (out.local && out.agent) return '--local and --agent cannot be used together';
  return out;
}

export async function runUi(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`porthole: ${args}\n${UI_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${UI_USAGE}\n`);
    return 0;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      'porthole: the live console needs a terminal (stdout and stdin must be a TTY).\n' +
        'For scripts and pipes use "porthole status" (the running agent\'s view), "porthole check HOST:PORT ..." (Nagios-style output and exit codes) or "porthole check --json".\n',
    );
    return 2;
  }
  const [{ chooseConsoleBackend }, { runConsole }, { colorWanted }] = await Promise.all([
    import('../console/choose-backend.js'),
    import('../console/run-console.js'),
    import('../console/terminal.js'),
  ]);
  let chosen;
  try {
    chosen = await chooseConsoleBackend({
      ...(args.config ? { config: args.config } : {}),
      ...(args.dataDir ? { dataDir: args.dataDir } : {}),
      ...(args.agent ? { agent: args.agent } : {}),
      local: args.local,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.report()}\n`);
      return EXIT_BAD_CONFIG;
    }
    throw e;
  }
  if ('error' in chosen) {
    process.stderr.write(`porthole: ${chosen.error}\n`);
    return chosen.code;
  }
  for (const w of chosen.warnings) process.stderr.write(`${w}\n`);
  const code = await runConsole(chosen.backend, { color: colorWanted(args.noColor) });
  process.exit(code);
}
