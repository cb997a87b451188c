import type { Target } from '../config/target.js';
import { registerInkPatch } from '../ui/ink-patch/register.js';
import { incrementalRenderingFixed } from '../ui/ink-patch/status.js';
import type { ConsoleBackend } from './backend.js';
import { terminalGuard } from './terminal.js';

/**
 * The live console on this terminal, for a backend (a local runtime or an attached agent). Owns the
 * terminal: alternate screen, restored on quit, signals and crashes. Resolves with the exit code.
 */
export async function runConsole(backend: ConsoleBackend, options: { color: boolean }): Promise<number> {
  const guard = terminalGuard(process.stdout, process.stdin);
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const quit = (code = 0): void => finish(code);
  const onSignal = (sig: NodeJS.Signals): void => quit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
  const onCrash = (err: unknown): void => {
    guard.restore();
    const detail = err instanceof Error ? (process.env.PORTHOLE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
    process.stderr.write(`porthole: internal error: ${detail}\n`);
    process.exit(70);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  // React's production build (its development build checks and warns on every render); it is chosen
  // when react loads, so the UI modules load only now.
  process.env.NODE_ENV ??= 'production';
  registerInkPatch();
  const [{ render }, { createElement }, { Console }] = await Promise.all([import('ink'), import('react'), import('../ui/Console.js')]);
  // Only the lines that changed are rewritten (less to send over SSH, no repaint of a still screen);
  // stock Ink 6.8.0 draws incremental frames one line low, so only with the fix (PORTHOLE_INCREMENTAL=0 turns it off).
  const incremental = process.env.PORTHOLE_INCREMENTAL !== '0' && (await incrementalRenderingFixed());

  guard.enter();
  backend.start();
  const pct = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? undefined : ratio * 100);
  const app = render(
    createElement(Console, {
      source: backend.feed,
      incidents: backend.incidents,
      commands: backend.commands(() => quit(0)),
      defaults: backend.defaults(),
      configFile: backend.configFile,
      stateFile: backend.stateFile,
      mode: () => backend.mode,
      color: options.color,
      uptime: (id: string) => pct(backend.uptime(id)?.['24h']),
      uptimeWindows: (id: string) => backend.uptime(id),
      notice: () => backend.notice(),
      channels: () => backend.channels(),
      history: () => backend.history(),
      maintenance: (t: Target) => backend.maintenance(t),
    }),
    { exitOnCtrlC: false, patchConsole: true, maxFps: 20, incrementalRendering: incremental },
  );
  app.waitUntilExit().then(
    () => quit(0),
    (err: unknown) => {
      guard.restore();
      process.stderr.write(`porthole: the console stopped: ${err instanceof Error ? err.message : String(err)}\n`);
      quit(70);
    },
  );

  const code = await done;
  app.unmount();
  guard.restore();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  await backend.close();
  return code;
}
