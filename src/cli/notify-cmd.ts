import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { ConfigError } from '../config/problems.js';
import { createChannels } from '../notify/channels/index.js';
import { Redactor } from '../notify/redact.js';
import { sendTestAlerts } from '../notify/test-alert.js';
import { sanitize } from '../text/sanitize.js';
import { chooseConfig } from './paths.js';

export const NOTIFY_USAGE = `Usage: porthole notify test [CHANNEL] [--config FILE]

Sends a clearly marked test alert through one notifier of the config (or all of them) and says, for
each, that it was delivered or exactly why not (DNS, refused, TLS, HTTP status and body, SMTP reply).
Exit code 0 when every one was delivered, 1 when any failed, 2 for a usage or config error.`;

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function runNotify(argv: string[], io: Streams, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.err.write(`porthole notify: ${sanitize(err instanceof Error ? err.message : String(err), 300)}\n${NOTIFY_USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.out.write(`${NOTIFY_USAGE}\n`);
    return 0;
  }
  const [sub, channel, ...extra] = parsed.positionals;
  if (sub !== 'test' || extra.length > 0) {
    io.err.write(`${NOTIFY_USAGE}\n`);
    return 2;
  }
  let cfg;
  try {
    cfg = loadConfigFile(chooseConfig(parsed.values.config, env).file, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err.write(`${err.report()}\n`);
      return 2;
    }
    throw err;
  }
  const redactor = new Redactor(cfg.notify.secrets);
  const channels = createChannels(cfg.notify.notifiers, redactor);
  if (channels.size === 0) {
    io.err.write(`porthole notify: ${sanitize(cfg.file, 1000)} has no "notifiers" to test\n`);
    return 2;
  }
  if (channel !== undefined && !channels.has(channel)) {
    io.err.write(`porthole notify: no notifier "${sanitize(channel, 80)}" (configured: ${[...channels.keys()].join(', ')})\n`);
    return 2;
  }
  const outcomes = await sendTestAlerts(channels, channel, 'local');
  for (const o of outcomes) {
    const line = `${o.ok ? 'ok    ' : 'FAILED'} ${o.channel} (${o.type}, ${o.destination}): ${o.detail} [${o.ms}ms]`;
    io.out.write(`${sanitize(redactor.redact(line), 1000)}\n`);
  }
  return outcomes.every((o) => o.ok) ? 0 : 1;
}
