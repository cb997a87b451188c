import { parseArgs } from 'node:util';
import { ConfigError } from '../config/problems.js';
import { EXIT } from '../check/exit-codes.js';

export const STATUS_USAGE = `Usage: porthole status [--json] [--config FILE] [--data-dir DIR] [--agent URL]

The current state of every target, one line each, from the agent running on the data dir (or
--agent URL); with no agent, from one round of checks of the config. Exit code: the worst state,
as a Nagios plugin (0 OK, 1 WARNING for SLOW or RETRYING, 2 CRITICAL for DOWN, 3 UNKNOWN).`;

export async function runStatus(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { json: { type: 'boolean' }, config: { type: 'string', short: 'c' }, 'data-dir': { type: 'string' }, agent: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    err.write(`porthole status: ${(e as Error).message}\n${STATUS_USAGE}\n`);
    return EXIT.UNKNOWN;
  }
  if (values.help) {
    out.write(`${STATUS_USAGE}\n`);
    return 0;
  }
  const { readStatus } = await import('../status/read-status.js');
  let report;
  try {
    report = await readStatus({
      ...(values.config ? { config: values.config } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(values.agent ? { agent: values.agent } : {}),
      env,
      warn: (line) => err.write(`${line}\n`),
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`${e.report()}\n`);
      return EXIT.UNKNOWN;
    }
    throw e;
  }
  if ('error' in report) {
    err.write(`porthole status: ${report.error}\n`);
    return EXIT.UNKNOWN;
  }
  const { statusText } = await import('../status/status-report.js');
  out.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : statusText(report));
  return report.exitCode;
}
