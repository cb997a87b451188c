import { parseCommand, stringValue } from './command-spec.js';
import { subcommand } from './group.js';
import { NOTIFY_TEST } from './specs.js';
import { loadConfigFile } from '../config/load.js';
import { ConfigError } from '../config/problems.js';
import { createChannels } from '../notify/channels/index.js';
import { Redactor } from '../notify/redact.js';
import { sendTestAlerts } from '../notify/test-alert.js';
import { sanitize } from '../text/sanitize.js';
import { chooseConfig } from '../runtime/paths.js';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function runNotify(argv: string[], io: Streams, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const chosen = subcommand('notify', argv, io);
  if ('exit' in chosen) return chosen.exit;
  const parsed = parseCommand(NOTIFY_TEST, chosen.rest, io);
  if ('exit' in parsed) return parsed.exit;
  const channel = parsed.args[0];
  const parsedConfig = stringValue(parsed.values, 'config');
  let cfg;
  try {
    cfg = loadConfigFile(chooseConfig(parsedConfig, env).file, env);
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
