// One porthole run for the restart-continuity test: engine + history + notifications from a config
// file, assembled in the order a front end must use (history, then the engine seeded with the open
// incidents, then notifications, then start). Prints "ready", then every 100 ms each target's
// "state <id> <STATE> <open incident id or ->". Reads commands on stdin: "pause-all", "resume-all"
// (what `P` twice does) and "stop" (also on SIGTERM): stops everything cleanly, prints "stopped", exits 0.
import { createInterface } from 'node:readline';
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

const report = setInterval(() => {
  for (const v of engine.snapshot()) process.stdout.write(`state ${v.target.id} ${v.monitor.state} ${v.monitor.incident?.id ?? '-'}\n`);
}, 100);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(report);
  await engine.stop();
  await notify.close();
  history.close();
  process.stdout.write('stopped\n');
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'pause-all') for (const v of engine.snapshot()) engine.pause(v.target.id);
  else if (line === 'resume-all') for (const v of engine.snapshot()) engine.resume(v.target.id);
  else if (line === 'stop') void stop();
});
