import { ConfigError } from '../config/problems.js';
import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { MemoryOverlay, OverlayStore, type Overlay } from '../config/overlay.js';
import { BUILTIN_DEFAULTS, type Defaults, type Target } from '../config/target.js';
import { EMPTY_NOTIFY_CONFIG } from '../config/notify-config.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import type { Feed } from '../feed/feed.js';
import { IncidentLog } from '../feed/incident-log.js';
import { historyOff, startHistory, type HistoryService, type RecorderOptions } from '../history/index.js';
import { startNotifications, type NotificationService, type StartNotificationsOptions } from '../notify/index.js';
import type { AlertMessage, SendResult } from '../notify/types.js';
import { applyOverlay, type MergedConfig } from './config-source.js';
import { watchConfigFile } from './config-watch.js';
import { chooseDataDir } from './data-dir.js';
import { chooseConfig, userConfigDir } from './paths.js';
import { createTargetActions, type TargetActions } from './target-actions.js';
import { diffTargets, type TargetDiff } from './target-diff.js';
import { expectAt, type ClusterConfig } from '../config/cluster-schema.js';
import { startUptimeCache, type UptimeCache } from './uptime-cache.js';

export interface RuntimeOptions {
  /** --config (else $PORTHOLE_CONFIG, the user's config, the shipped example). */
  config?: string;
  /**
   * Targets from the command line instead of a config (`porthole watch`): nothing is read from or
   * written to a config, an overlay or the history, and no alerts are sent.
   */
  targets?: readonly Target[];
  /** --data-dir (else $PORTHOLE_DATA_DIR, the config's dataDir, the OS data dir). */
  dataDir?: string;
  /** Where changes made from a front end are kept: the user's config dir (default), or the data dir (an agent). */
  stateIn?: 'config-dir' | 'data-dir';
  env?: NodeJS.ProcessEnv;
  /** Where the checks run from, in alerts and metrics (default "local"). */
  location?: string;
  /** Re-read the config when its file changes (default false; SIGHUP and reload() always work). */
  watchConfig?: boolean;
  /** Recompute uptime figures only while a front end reads them (an agent); default: every minute. */
  uptimeOnDemand?: boolean;
  engine?: Pick<EngineOptions, 'probe' | 'concurrency' | 'startSpreadMs'>;
  notify?: Omit<StartNotificationsOptions, 'location' | 'onAttempt'>;
  history?: Pick<RecorderOptions, 'flushIntervalMs' | 'rollupIntervalMs'>;
}

export type ReloadTrigger = 'signal' | 'file' | 'request';

export type RuntimeEvent =
  | { type: 'reload'; ok: true; trigger: ReloadTrigger; file: string; added: string[]; removed: string[]; changed: string[]; unchanged: number; notifiers: boolean }
  | { type: 'reload'; ok: false; trigger: ReloadTrigger; file: string; problems: string }
  | { type: 'warning'; message: string }
  | { type: 'alert'; channel: string; ok: boolean; kind: string; targets: string[]; detail: string };

export type ReloadReport = Extract<RuntimeEvent, { type: 'reload' }>;

export interface RuntimeHealth {
  ok: boolean;
  engine: 'running' | 'stopped';
  targets: number;
  checks: number;
  lastCheckAt: number | undefined;
  history: { ok: boolean; file: string; problem?: string; queued?: number; dropped?: number };
  channels: { name: string; status: string; pending: number; lastError?: string }[];
  config: { file: string; ok: boolean; problem?: string; loadedAt: number };
}

export interface Runtime {
  readonly engine: Engine;
  /** What front ends and sinks read. */
  readonly feed: Feed;
  readonly incidents: IncidentLog;
  readonly history: HistoryService;
  /** The notifications in force (replaced when a reload changes notifiers or the alert policy). */
  readonly notify: NotificationService;
  readonly actions: TargetActions;
  readonly uptime: UptimeCache;
  readonly configFile: string;
  /** Where front-end changes are kept (the overlay). */
  readonly stateFile: string;
  readonly dataDir: string;
  readonly location: string;
  /** The config's cluster settings (absent: a single machine). */
  readonly cluster: ClusterConfig | undefined;
  /**
   * In a cluster: the shared list's targets for this location, checked beside the config's own (the
   * config wins on an id both have). Applied like a reload: added start, removed stop, changed restart.
   */
  setSharedTargets(targets: readonly Target[]): TargetDiff;
  /** Problems found at start that did not stop it (an overlay entry skipped, history off). */
  readonly warnings: readonly string[];
  defaults(): Defaults;
  /** Starts checking (after the front end is ready). */
  start(): void;
  /** Re-reads the config file: applies what changed, or keeps the running config and says why not. */
  reload(trigger: ReloadTrigger): Promise<ReloadReport>;
  /** Why the last reload was refused (the running config stays in force); undefined when it was not. */
  configProblem(): string | undefined;
  /** Warnings for a header: history off or losing writes, alerts not durable or failing, a refused reload. */
  notice(): string | undefined;
  health(): RuntimeHealth;
  onEvent(listener: (event: RuntimeEvent) => void): () => void;
  /**
   * Stops: no new checks; checks in flight finish or are cut at the deadline (default 300 ms); with
   * `flushAlerts`, pending alerts are sent meanwhile (else they wait in the outbox for the next
   * start); the history queue is committed and the database closed.
   */
  close(options?: { deadlineMs?: number; flushAlerts?: boolean }): Promise<void>;
}

function targetNames(msg: AlertMessage): string[] {
  return msg.items.map((i) => i.name);
}

/**
 * One monitor, assembled from a config: engine, history, notifications, incident log, the actions
 * front ends may take, and live reload. Every front end (console, agent, status) starts one of these
 * (or attaches to an agent's). Throws ConfigError for a config that does not validate.
 */
export function startRuntime(options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const listeners = new Set<(e: RuntimeEvent) => void>();
  const emit = (e: RuntimeEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A failing listener (a closed log stream) must not stop the monitor.
      }
    }
  };

  const ephemeral = options.targets !== undefined;
  const file = ephemeral ? COMMAND_LINE : chooseConfig(options.config, env).file;
  const first = ephemeral ? commandLineConfig(options.targets ?? []) : loadConfigFile(file, env);
  const startWarnings: string[] = [];
  const dataDir = ephemeral ? COMMAND_LINE : chooseDataDir(options.dataDir, first, (l) => startWarnings.push(l), env).dir;
  const store: Overlay = ephemeral ? new MemoryOverlay() : new OverlayStore(options.stateIn === 'data-dir' ? dataDir : userConfigDir(env));
  const loaded = applyOverlay(first, store);
  let cfg: LoadedConfig = loaded.cfg;
  const location = options.location ?? first.cluster?.location ?? 'local';
  let fileTargets: readonly Target[] = loaded.targets;
  let sharedTargets: readonly Target[] = [];
  // In a cluster, a target that names its locations is checked only there.
  const here = (t: Target) => !first.cluster || !t.locations || t.locations.includes(location);
  // Per-location expectations become this location's one: the engine sees "closed" or nothing.
  const expectHere = (t: Target): Target => {
    if (t.expectState === undefined || typeof t.expectState === 'string') return t;
    const { expectState: _all, ...rest } = t;
    return expectAt(t.expectState, location) === 'closed' ? { ...rest, expectState: 'closed' } : rest;
  };
  const withShared = (own: readonly Target[]): Target[] => {
    const ids = new Set(own.map((t) => t.id));
    return [...own, ...sharedTargets.filter((t) => !ids.has(t.id))].filter(here).map(expectHere);
  };
  const applyDiff = (next: readonly Target[]): TargetDiff => {
    const diff = diffTargets(engine.snapshot().map((v) => v.target), next);
    for (const id of diff.removed) engine.remove(id);
    for (const t of diff.changed) engine.update(t);
    for (const t of diff.added) engine.add(t);
    return diff;
  };
  startWarnings.push(...loaded.warnings);
  startWarnings.push(...first.warnings.map((w) => `porthole: warning: ${first.file}: ${w.path}: ${w.message}`));
  let configProblem: string | undefined;
  let loadedAt = Date.now();

  const engine = new Engine({ targets: withShared(loaded.targets), ...options.engine });
  const incidents = new IncidentLog(500);
  const detachLog = incidents.attach(engine);
  const history = ephemeral ? historyOff(COMMAND_LINE) : startHistory(engine, {
    ...options.history,
    dataDir,
    location,
    onProblem: (p) => {
      if (p) emit({ type: 'warning', message: `history: ${p.message} — ${p.hint}` });
      else emit({ type: 'warning', message: 'history: writing again' });
    },
  });
  const historyProblem = history.warning();
  if (historyProblem) startWarnings.push(historyProblem);
  const seed = history.seed();
  incidents.seed(seed.incidents);
  for (const [id, recent] of seed.recent) engine.seedRecent(id, recent);
  // Incidents the last run left open go on (or close at the first good check): before notifications start.
  for (const [id, incident] of seed.open) engine.seedIncident(id, incident);
  const uptime = startUptimeCache(history, seed.uptime, { onDemand: options.uptimeOnDemand ?? false });

  const notifyOptions = (): StartNotificationsOptions => ({
    ...options.notify,
    location,
    onAttempt: (channel: string, result: SendResult, message: AlertMessage) =>
      emit({ type: 'alert', channel, ok: result.ok, kind: message.kind, targets: targetNames(message), detail: result.ok ? result.detail : result.error }),
  });
  let notify = startNotifications(engine, cfg, history, notifyOptions());

  const actions = createTargetActions({
    engine,
    store,
    defaults: () => cfg.defaults,
    fileIds: () => new Set(cfg.targets.map((t) => t.id)),
    filePaused: () => new Set(cfg.targets.filter((t) => t.paused).map((t) => t.id)),
  });

  let started = false;
  let closed = false;
  // Reloads run one at a time, each on the newest file.
  let reloads: Promise<unknown> = Promise.resolve();

  const reloadOnce = async (trigger: ReloadTrigger): Promise<ReloadReport> => {
    let next: MergedConfig;
    try {
      next = applyOverlay(ephemeral ? first : loadConfigFile(file, env), store);
    } catch (err) {
      const problems = err instanceof ConfigError ? err.report() : `${cfg.file}: ${err instanceof Error ? err.message : String(err)}`;
      configProblem = `config not reloaded (the running config stays in force): ${problems}`;
      const report: ReloadReport = { type: 'reload', ok: false, trigger, file: cfg.file, problems };
      emit(report);
      return report;
    }
    fileTargets = next.targets;
    const diff = applyDiff(withShared(fileTargets));
    const notifiersChanged = JSON.stringify(cfg.notify) !== JSON.stringify(next.cfg.notify);
    cfg = next.cfg;
    configProblem = undefined;
    loadedAt = Date.now();
    if (notifiersChanged) {
      // The old service stops (sends in flight finish) before the new one reads the same outbox.
      await notify.close();
      if (!closed) notify = startNotifications(engine, cfg, history, notifyOptions());
    }
    for (const w of [...next.cfg.warnings.map((p) => `${cfg.file}: ${p.path}: ${p.message}`), ...next.warnings]) emit({ type: 'warning', message: w });
    const report: ReloadReport = {
      type: 'reload',
      ok: true,
      trigger,
      file: cfg.file,
      added: diff.added.map((t) => t.name),
      removed: diff.removed,
      changed: diff.changed.map((t) => t.name),
      unchanged: diff.unchanged,
      notifiers: notifiersChanged,
    };
    emit(report);
    return report;
  };

  const stopWatching = options.watchConfig && !ephemeral ? watchConfigFile(cfg.file, () => void runtime.reload('file')) : () => {};

  const runtime: Runtime = {
    engine,
    feed: engine,
    incidents,
    history,
    get notify() {
      return notify;
    },
    actions,
    uptime,
    configFile: cfg.file,
    stateFile: store.path,
    dataDir,
    location,
    cluster: first.cluster,
    setSharedTargets(targets) {
      sharedTargets = [...targets];
      return applyDiff(withShared(fileTargets));
    },
    warnings: startWarnings,
    defaults: () => cfg.defaults,
    start() {
      if (started || closed) return;
      started = true;
      for (const w of startWarnings) emit({ type: 'warning', message: w });
      engine.start();
    },
    reload(trigger) {
      const run = reloads.then(() => reloadOnce(trigger));
      reloads = run.catch(() => undefined);
      return run;
    },
    configProblem: () => configProblem,
    notice() {
      const parts = [history.warning(), notify.warning(), configProblem ? firstLine(configProblem) : undefined].filter((p): p is string => Boolean(p));
      return parts.length ? parts.join(' · ') : undefined;
    },
    health() {
      const stats = history.stats();
      const channels = notify.health().map((c) => ({ name: c.name, status: c.status, pending: c.pending, ...(c.lastError ? { lastError: c.lastError } : {}) }));
      const historyOk = history.queries !== undefined && !stats?.problem;
      const h: RuntimeHealth = {
        ok: started && !closed && historyOk && configProblem === undefined && channels.every((c) => c.status !== 'failing'),
        engine: started && !closed ? 'running' : 'stopped',
        targets: engine.snapshot().length,
        checks: engine.totalChecks,
        lastCheckAt: engine.lastCheckAt,
        history: {
          ok: historyOk,
          file: history.file,
          ...(history.warning() ? { problem: history.warning() } : {}),
          ...(stats ? { queued: stats.queued, dropped: stats.droppedSamples + stats.droppedIncidents } : {}),
        },
        channels,
        config: { file: cfg.file, ok: configProblem === undefined, ...(configProblem ? { problem: configProblem } : {}), loadedAt },
      };
      return h;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(o = {}) {
      if (closed) return;
      closed = true;
      stopWatching();
      uptime.stop();
      await reloads;
      const until = Date.now() + (o.deadlineMs ?? 300);
      const left = () => Math.max(0, until - Date.now());
      await Promise.all([Promise.race([engine.stop(), sleep(left())]), o.flushAlerts ? notify.flush(left()) : undefined]);
      await Promise.race([notify.close(), sleep(o.flushAlerts ? left() : Math.max(left(), 1000))]);
      detachLog();
      history.close();
      listeners.clear();
    },
  };
  return runtime;
}

const COMMAND_LINE = '(command line)';

function commandLineConfig(targets: readonly Target[]): LoadedConfig {
  return { file: COMMAND_LINE, raw: {}, defaults: { ...BUILTIN_DEFAULTS }, targets: [...targets], notify: EMPTY_NOTIFY_CONFIG, warnings: [] };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function firstLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length > 2 ? `${lines[0]} ${lines[1]?.trim()} (+${lines.length - 2} more)` : lines.join(' ');
}
