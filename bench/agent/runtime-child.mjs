// Child process for bench/agent: the monitor exactly as the console assembles it (startRuntime, from
// dist/ as the agent runs), with no screen and no HTTP endpoint — the "no-UI" baseline.
// Prints {"checks":N} on stdout once a second; stops on SIGTERM.
const { startRuntime } = await import(new URL('../../dist/runtime/runtime.js', import.meta.url).href);

const [config, dataDir] = process.argv.slice(2);
if (!config || !dataDir) throw new Error('usage: runtime-child.mjs CONFIG DATA_DIR');
const runtime = startRuntime({ config, dataDir, stateIn: 'data-dir' });
runtime.start();
const timer = setInterval(() => process.stdout.write(`${JSON.stringify({ checks: runtime.engine.totalChecks })}\n`), 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  void runtime.close().then(() => process.exit(0));
});
