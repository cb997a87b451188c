import { parseCommand } from './command-spec.js';
import { AGENT } from './specs.js';
import { ConfigError } from '../config/problems.js';
import { EXIT_BAD_CONFIG } from '../check/exit-codes.js';

export async function runAgentCommand(argv: string[], version: string): Promise<number> {
  const parsed = parseCommand(AGENT, argv, { out: process.stdout, err: process.stderr });
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values as { config?: string; 'data-dir'?: string; listen: string; 'log-format': 'text' | 'json'; 'tls-cert'?: string; 'tls-key'?: string; 'print-systemd-unit'?: boolean; 'handshake-histogram': 'agent' | 'target' };
  const { resolve } = await import('node:path');
  if (values['print-systemd-unit']) {
    const { systemdUnit } = await import('../agent/systemd-unit.js');
    const { fileURLToPath } = await import('node:url');
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    process.stdout.write(systemdUnit({ node: process.execPath, main, config: values.config ? resolve(values.config) : '/etc/porthole/config.json' }));
    return 0;
  }
  const format = values['log-format'];
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    process.stderr.write('porthole agent: --tls-cert and --tls-key go together\n');
    return 2;
  }
  const { parseListen } = await import('../agent/listen.js');
  const listen = parseListen(values.listen);
  if ('error' in listen) {
    process.stderr.write(`porthole agent: ${listen.error}\n`);
    return 2;
  }
  // SIGHUP's default is to end the process: a reload asked for while the agent loads (systemctl
  // reload right after start) must not kill it. It is applied once the agent runs.
  let hupWhileStarting = false;
  const earlyHup = () => {
    hupWhileStarting = true;
  };
  process.on('SIGHUP', earlyHup);
  const { runAgent } = await import('../agent/run-agent.js');
  try {
    return await runAgent({
      takeEarlyReload: () => {
        process.off('SIGHUP', earlyHup);
        return hupWhileStarting;
      },
      ...(values.config ? { config: values.config } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      listen,
      logFormat: format,
      handshakeHistogram: values['handshake-histogram'] === 'target' ? 'target' : 'location',
      ...(values['tls-cert'] ? { tlsCert: values['tls-cert'] } : {}),
      ...(values['tls-key'] ? { tlsKey: values['tls-key'] } : {}),
      version,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.report()}\n`);
      return EXIT_BAD_CONFIG;
    }
    throw e;
  }
}
