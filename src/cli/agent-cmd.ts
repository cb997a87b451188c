import { parseArgs } from 'node:util';
import { ConfigError } from '../config/problems.js';
import { EXIT_BAD_CONFIG } from '../check/exit-codes.js';

export const AGENT_USAGE = `Usage: porthole agent [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--log-format text|json]
                     [--tls-cert FILE --tls-key FILE]
       porthole agent --print-systemd-unit [--config FILE]

Runs the monitor without a terminal: checks, history and alerts, one log line per event on stdout.
Serves on --listen (default 127.0.0.1:9178; another address only when given):
  /metrics    Prometheus (blackbox_exporter names), no token
  /healthz    the agent's own health, no token (503 when degraded)
  /api/v1/…   snapshot, event stream and actions for consoles: needs the token the agent keeps in
              DATA_DIR/agent.token (mode 0600; a console run by the same user finds it there)
SIGHUP, a changed config file or "porthole reload" re-read the config; SIGTERM/SIGINT drain and exit 0.`;

export async function runAgentCommand(argv: string[], version: string): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        'log-format': { type: 'string', default: 'text' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'print-systemd-unit': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`porthole agent: ${(e as Error).message}\n${AGENT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${AGENT_USAGE}\n`);
    return 0;
  }
  const { resolve } = await import('node:path');
  if (values['print-systemd-unit']) {
    const { systemdUnit } = await import('../agent/systemd-unit.js');
    const { fileURLToPath } = await import('node:url');
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    process.stdout.write(systemdUnit({ node: process.execPath, main, config: values.config ? resolve(values.config) : '/etc/porthole/config.json' }));
    return 0;
  }
  const format = values['log-format'];
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`porthole agent: --log-format expects text or json, got "${format}"\n`);
    return 2;
  }
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    process.stderr.write('porthole agent: --tls-cert and --tls-key go together\n');
    return 2;
  }
  const { DEFAULT_LISTEN, parseListen } = await import('../agent/listen.js');
  const listen = values.listen === undefined ? DEFAULT_LISTEN : parseListen(values.listen);
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
