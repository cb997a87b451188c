// One porthole run for the restart-continuity test: the runtime every front end starts, from a config
// file and a data dir. Prints "ready", then every 100 ms each target's "state <id> <STATE> <open
// incident id or ->". Reads commands on stdin: "toggle-all" (the console's `P`) and "stop" (also on
// SIGTERM): stops cleanly, prints "stopped", exits 0.
import { createInterface } from 'node:readline';
import { startRuntime } from '../../../src/runtime/runtime.js';

const [config, dataDir] = process.argv.slice(2);
const runtime = startRuntime({
  config: config!,
  dataDir: dataDir!,
  stateIn: 'data-dir',
  engine: { startSpreadMs: 0 },
  history: { flushIntervalMs: 100 },
  notify: { backoff: { baseMs: 200, maxMs: 1000 } },
});
runtime.start();
process.stdout.write('ready\n');

const report = setInterval(() => {
  for (const v of runtime.feed.snapshot()) process.stdout.write(`state ${v.target.id} ${v.monitor.state} ${v.monitor.incident?.id ?? '-'}\n`);
}, 100);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(report);
  await runtime.close({ deadlineMs: 2000 });
  process.stdout.write('stopped\n');
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'toggle-all') runtime.actions.toggleAll();
  else if (line === 'stop') void stop();
});
