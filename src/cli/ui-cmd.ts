import { ConfigError } from '../config/problems.js';
import type { Target } from '../config/target.js';
import { startHistory, type HistorySession } from '../history/index.js';
import type { WindowName } from '../history/index.js';
import { startNotifications } from '../notify/index.js';
import { chooseDataDir } from './history-open.js';
import { Engine } from '../engine/engine.js';
import { IncidentLog } from '../engine/incident-log.js';
import { createConsoleCommands } from './console-commands.js';
import { EXIT_BAD_CONFIG } from './exit-codes.js';
import { loadMerged } from './merged-config.js';
import { userConfigDir } from './paths.js';
import { colorWanted, terminalGuard } from './terminal.js';
import { registerInkPatch } from '../ui/ink-patch/register.js';
import { incrementalRenderingFixed } from '../ui/ink-patch/status.js';

export const UI_USAGE = `Usage: porthole [ui] [--config FILE] [--data-dir DIR] [--no-color]`;

/** How often the grid's uptime figures are recomputed from the history (they move slowly). */
const UPTIME_REFRESH_MS = 60_000;

interface UiArgs {
  config?: string;
  dataDir?: string;
  noColor: boolean;
}

function parseArgs(argv: string[]): UiArgs | string {
  const out: UiArgs = { noColor: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--no-color') out.noColor = true;
    else if (a === '--config' || a === '-c') {
      const v = argv[++i];
      if (!v) return '--config needs a file';
      out.config = v;
    } else if (a.startsWith('--config=')) out.config = a.slice('--config='.length);
    else if (a === '--data-dir') {
      const v = argv[++i];
      if (!v) return '--data-dir needs a directory';
      out.dataDir = v;
    } else if (a.startsWith('--data-dir=')) out.dataDir = a.slice('--data-dir='.length);
    else return `unknown option "${a}"`;
  }
  return out;
}

export async function runUi(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`porthole: ${args}\n${UI_USAGE}\n`);
    return 2;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      'porthole: the live console needs a terminal (stdout and stdin must be a TTY).\n' +
        'For scripts and pipes use "porthole check HOST:PORT ..." (Nagios-style output and exit codes) or "porthole check --json".\n',
    );
    return 2;
  }
  let loaded: ReturnType<typeof loadMerged>;
  try {
    loaded = loadMerged(args.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.report()}\n`);
      return EXIT_BAD_CONFIG;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`porthole: cannot read the console state in ${userConfigDir()}: ${msg}\n`);
    return EXIT_BAD_CONFIG;
  }
  const { cfg, store, targets, warnings } = loaded;
  for (const w of warnings) process.stderr.write(`${w}\n`);

  const engine = new Engine({ targets });
  const log = new IncidentLog(500);
  const detach = log.attach(engine);
  const history = startHistory(engine, { dataDir: chooseDataDir(args.dataDir, cfg, (l) => process.stderr.write(`${l}\n`)).dir });
  const uptime = seedFromHistory(history, engine, log);
  const notify = startNotifications(engine, cfg, history);
  const guard = terminalGuard(process.stdout, process.stdin);

  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const quit = (code = 0): void => finish(code);

  const commands = createConsoleCommands({ engine, store, defaults: cfg.defaults, fileIds: new Set(cfg.targets.map((t) => t.id)), quit: () => quit(0) });
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
  engine.start();
  const app = render(
    createElement(Console, {
      source: engine,
      incidents: log,
      commands,
      defaults: cfg.defaults,
      configFile: cfg.file,
      stateFile: store.path,
      color: colorWanted(args.noColor),
      uptime: (id: string) => pct(uptime.get(id)?.['24h']),
      uptimeWindows: (id: string) => uptime.get(id),
      notice: () => joinNotices(history.warning(), notify.warning()),
      channels: () => notify.health(),
      maintenance: (t: Target) => notify.maintenanceName(t),
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
  detach();
  uptime.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  // Handshakes in flight end within their timeout; do not keep the user waiting for them.
  await Promise.race([engine.stop(), new Promise((r) => setTimeout(r, 300).unref())]);
  // Alerts not yet delivered stay in the outbox and go out at the next start.
  await Promise.race([notify.close(), new Promise((r) => setTimeout(r, 1000).unref())]);
  history.close();
  process.exit(code);
}

function pct(ratio: number | null | undefined): number | undefined {
  return ratio === null || ratio === undefined ? undefined : ratio * 100;
}

type UptimeCache = Map<string, Record<WindowName, number | null>> & { stop(): void };

/**
 * Picks up where the last run left off: the incident log, each target's sparkline, its open incident
 * and its uptime figures come from the history. Uptime is then recomputed now and then, outside the UI.
 */
function seedFromHistory(history: HistorySession, engine: Engine, log: IncidentLog): UptimeCache {
  const seed = history.seed();
  log.seed(seed.incidents);
  for (const [id, recent] of seed.recent) engine.seedRecent(id, recent);
  // Incidents the last run left open go on (or close at the first good check); before notifications start.
  for (const [id, incident] of seed.open) engine.seedIncident(id, incident);
  const cache = new Map(seed.uptime) as UptimeCache;
  const refresh = () => {
    try {
      const fresh = history.queries?.uptimes();
      if (!fresh) return;
      cache.clear();
      for (const [k, v] of fresh) cache.set(k, v);
    } catch {
      // A failed refresh keeps the last figures; the header shows history problems.
    }
  };
  // A first refresh soon, so targets new to the history get a figure without a minute's wait.
  const first = setTimeout(refresh, 10_000);
  const timer = setInterval(refresh, UPTIME_REFRESH_MS);
  first.unref();
  timer.unref();
  cache.stop = () => {
    clearTimeout(first);
    clearInterval(timer);
  };
  return cache;
}

function joinNotices(...lines: (string | undefined)[]): string | undefined {
  const present = lines.filter((l): l is string => Boolean(l));
  return present.length ? present.join(' · ') : undefined;
}
