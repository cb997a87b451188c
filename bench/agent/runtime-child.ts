// Child process for bench/agent: the monitor exactly as the console assembles it (startRuntime), with
// no screen and no HTTP endpoint — the "no-UI" baseline the agent is compared with.
// Prints {"checks":N} on stdout once a second; stops on SIGTERM.
import { startRuntime } from '../../src/runtime/runtime.js';

const [config, dataDir] = process.argv.slice(2);
if (!config || !dataDir) throw new Error('usage: runtime-child.ts CONFIG DATA_DIR');
const runtime = startRuntime({ config, dataDir, stateIn: 'data-dir' });
runtime.start();
const timer = setInterval(() => process.stdout.write(`${JSON.stringify({ checks: runtime.engine.totalChecks })}\n`), 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  void runtime.close().then(() => process.exit(0));
});
