#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck, CHECK_USAGE } from './check.js';
import { CONFIG_USAGE, runConfigShow, runConfigValidate, runConfigPath } from './config-cmd.js';
import { packageRoot } from './paths.js';
import { runUi } from './ui-cmd.js';
import { runReport } from './report-cmd.js';
import { runExport } from './export-cmd.js';
import { runHistory } from './history-cmd.js';
import { runDiscover } from './discover-cmd.js';
import { runNotify } from './notify-cmd.js';

const USAGE = `porthole — live TCP/port monitoring console

Usage:
  porthole [ui] [--config FILE] [--data-dir DIR] [--no-color]   open the live console (the default)
  porthole check HOST:PORT ...                 check once, Nagios plugin output and exit codes
  porthole config validate|show|path           work with the config
  porthole report [--since 24h|7d|30d] [--json]  uptime, outages, MTTR, handshake p50/p95 from history
  porthole export --format csv|json [--kind samples|incidents] [--since D] [--target T]
  porthole history prune                       apply history retention now
  porthole discover HOST [--ports common|1-1024|22,80] [--json] [--write FILE]  find the ports that answer
  porthole notify test [CHANNEL]               send a test alert through the configured notifiers
  porthole help | --help                       this text
  porthole --version

${CHECK_USAGE}

${CONFIG_USAGE}`;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'check':
      return runCheck(rest);
    case 'config': {
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
      return runReport(rest, { out: process.stdout, err: process.stderr });
    case 'export':
      return runExport(rest, { out: process.stdout, err: process.stderr });
    case 'discover':
      return runDiscover(rest, { out: process.stdout, err: process.stderr });
    case 'history':
      return runHistory(rest, { out: process.stdout, err: process.stderr });
    case 'notify':
      return runNotify(rest, { out: process.stdout, err: process.stderr });
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case '--version':
    case '-V':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'ui':
      return runUi(rest);
    case undefined:
      return runUi([]);
    default:
      if (cmd.startsWith('-')) return runUi(argv);
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
