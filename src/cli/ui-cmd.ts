import { ConfigError } from '../config/problems.js';
import { sanitize } from '../text/sanitize.js';
import { EXIT_BAD_CONFIG } from '../check/exit-codes.js';
import { parseCommand } from './command-spec.js';
import { UI } from './specs.js';

export async function runUi(argv: string[]): Promise<number> {
  const parsed = parseCommand(UI, argv, { out: process.stdout, err: process.stderr });
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.values as { config?: string; 'data-dir'?: string; agent?: string; local?: boolean; 'no-color'?: boolean; cluster?: string };
  if (args.local && args.agent) {
    process.stderr.write('porthole ui: --local and --agent cannot be used together\n');
    return 2;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      'porthole: the live console needs a terminal (stdout and stdin must be a TTY).\n' +
        'For scripts and pipes use "porthole status" (the running agent\'s view), "porthole check HOST:PORT ..." (Nagios-style output and exit codes) or "porthole check --json".\n',
    );
    return 2;
  }
  if (args.cluster !== undefined) return runClusterUi(args.cluster, args.config, Boolean(args['no-color']));
  // A config with a cluster section opens the cluster's view, unless --local or --agent says otherwise.
  if (!args.local && !args.agent && (await configHasCluster(args.config))) return runClusterUi(undefined, args.config, Boolean(args['no-color']));
  const [{ chooseConsoleBackend }, { runConsole }, { colorWanted }] = await Promise.all([
    import('../console/choose-backend.js'),
    import('../console/run-console.js'),
    import('../console/terminal.js'),
  ]);
  let chosen;
  try {
    chosen = await chooseConsoleBackend({
      ...(args.config ? { config: args.config } : {}),
      ...(args['data-dir'] ? { dataDir: args['data-dir'] } : {}),
      ...(args.agent ? { agent: args.agent } : {}),
      local: Boolean(args.local),
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
  const code = await runConsole(chosen.backend, { color: colorWanted(Boolean(args['no-color'])) });
  process.exit(code);
}

/** Whether the config the console would use has a "cluster" section (a config that fails to load: no, the console reports it). */
async function configHasCluster(flag: string | undefined): Promise<boolean> {
  const [{ chooseConfig }, { loadConfigFile }] = await Promise.all([import('../runtime/paths.js'), import('../config/load.js')]);
  try {
    return loadConfigFile(chooseConfig(flag).file).cluster !== undefined;
  } catch {
    return false;
  }
}

async function runClusterUi(url: string | undefined, config: string | undefined, noColor: boolean): Promise<number> {
  const [{ loadConfigFile }, { clusterForCommand, noClusterMessage }, { runClusterConsole }, { colorWanted }] = await Promise.all([
    import('../config/load.js'),
    import('../cluster/cli-connection.js'),
    import('../console/run-cluster-console.js'),
    import('../console/terminal.js'),
  ]);
  let cfg;
  try {
    const { chooseConfig } = await import('../runtime/paths.js');
    cfg = config || !url ? loadConfigFile(chooseConfig(config).file) : undefined;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.report()}\n`);
      return EXIT_BAD_CONFIG;
    }
    throw e;
  }
  const c = clusterForCommand(url, cfg, process.env);
  if (!c) {
    process.stderr.write(`porthole ui: ${sanitize(noClusterMessage(cfg?.file), 1000)}\n`);
    return 2;
  }
  const code = await runClusterConsole(c, { color: colorWanted(noColor) });
  process.exit(code);
}
