import { parseCommand } from './command-spec.js';
import { STATUS } from './specs.js';
import { ConfigError } from '../config/problems.js';
import { EXIT } from '../check/exit-codes.js';

export async function runStatus(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand(STATUS, argv, { out, err });
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values as { json?: boolean; config?: string; 'data-dir'?: string; agent?: string; cluster?: string };
  if (values.cluster !== undefined) {
    const { clusterStatus } = await import('../cluster/cluster-status.js');
    return clusterStatus({ url: values.cluster, ...(values.config ? { config: values.config } : {}), json: values.json === true, out, err, env });
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
