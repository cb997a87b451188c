#!/usr/bin/env node
// Parses the command line and hands over to one front end. Each command's module is imported only
// when that command runs: a one-shot check does not load the console, the database or the mailer.

const USAGE = `porthole — TCP/port monitor for the terminal

Usage:
  porthole [ui] [--config FILE] [--data-dir DIR] [--agent URL] [--local] [--no-color]
                                               the live console (attaches to a running agent)
  porthole agent [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--log-format text|json]
                                               the monitor as a service: no terminal, /metrics, API
  porthole status [--json]                     every target's state now (Nagios exit code)
  porthole reload                              make the running agent re-read its config
  porthole check HOST:PORT ...                 check once, Nagios plugin output and exit codes
  porthole config validate|show|path           work with the config
  porthole report [--since 24h|7d|30d] [--json]  uptime, outages, MTTR, handshake p50/p95 from history
  porthole export --format csv|json [--kind samples|incidents] [--since D] [--target T]
  porthole history prune                       apply history retention now
  porthole discover HOST [--ports common|1-1024|22,80] [--json] [--write FILE]  find the ports that answer
  porthole notify test [CHANNEL]               send a test alert through the configured notifiers
  porthole help | --help                       this text
  porthole --version

"porthole COMMAND --help" prints that command's options.`;

async function version(): Promise<string> {
  const [{ readFileSync }, { join }, { packageRoot }] = await Promise.all([import('node:fs'), import('node:path'), import('../runtime/paths.js')]);
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const io = () => ({ out: process.stdout, err: process.stderr });

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'check':
      return (await import('./check.js')).runCheck(rest);
    case 'agent':
      return (await import('./agent-cmd.js')).runAgentCommand(rest, await version());
    case 'status':
      return (await import('./status-cmd.js')).runStatus(rest, process.stdout, process.stderr);
    case 'reload':
      return (await import('./reload-cmd.js')).runReload(rest, process.stdout, process.stderr);
    case 'config': {
      const { CONFIG_USAGE, runConfigShow, runConfigValidate, runConfigPath } = await import('./config-cmd.js');
      const [sub, ...args] = rest;
      if (sub === 'validate') {
        if (args.length > 1) {
          process.stderr.write(`${CONFIG_USAGE}\n`);
          return 2;
        }
        return runConfigValidate(args[0], process.stdout, process.stderr);
      }
      if (sub === 'show') return runConfigShow(args, process.stdout, process.stderr);
      if (sub === 'path') return runConfigPath(args, process.stdout);
      process.stderr.write(`${CONFIG_USAGE}\n`);
      return 2;
    }
    case 'report':
      return (await import('./report-cmd.js')).runReport(rest, io());
    case 'export':
      return (await import('./export-cmd.js')).runExport(rest, io());
    case 'discover':
      return (await import('./discover-cmd.js')).runDiscover(rest, io());
    case 'history':
      return (await import('./history-cmd.js')).runHistory(rest, io());
    case 'notify':
      return (await import('./notify-cmd.js')).runNotify(rest, io());
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case '--version':
    case '-V':
    case 'version':
      process.stdout.write(`${await version()}\n`);
      return 0;
    case 'ui':
      return (await import('./ui-cmd.js')).runUi(rest);
    case undefined:
      return (await import('./ui-cmd.js')).runUi([]);
    default:
      if (cmd.startsWith('-')) return (await import('./ui-cmd.js')).runUi(argv);
      process.stderr.write(`porthole: unknown command "${cmd}"\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const detail = err instanceof Error ? (process.env.PORTHOLE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
    process.stderr.write(`porthole: internal error: ${detail}\n`);
    process.exitCode = 70;
  },
);
