// A porthole process for the crash test: engine + history + notifications from a config file, as the
// console wires them. Prints "ready", then the outbox each 100 ms ("outbox <pending> <attempts>").
import { loadConfigFile } from '../../../src/config/load.js';
import { Engine } from '../../../src/engine/engine.js';
import { startHistory } from '../../../src/history/index.js';
import { startNotifications } from '../../../src/notify/index.js';

const [configFile, dataDir] = process.argv.slice(2);
const cfg = loadConfigFile(configFile!);
const engine = new Engine({ targets: cfg.targets, startSpreadMs: 0 });
const history = startHistory(engine, { dataDir: dataDir!, flushIntervalMs: 100 });
for (const [id, incident] of history.openIncidents()) engine.seedIncident(id, incident);
const notify = startNotifications(engine, cfg, history, { backoff: { baseMs: 200, maxMs: 1000 } });
engine.start();
process.stdout.write('ready\n');
setInterval(() => {
  const h = notify.health()[0];
  const attempts = history.db?.prepare("SELECT coalesce(max(attempts), 0) FROM outbox WHERE status = 'pending'").pluck().get() as number;
  process.stdout.write(`outbox ${h?.pending ?? 0} ${attempts} ${h?.lastError ?? '-'}\n`);
}, 100);
