import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig, type LoadedConfig } from '../../../src/config/load.js';
import { Engine } from '../../../src/engine/engine.js';
import { startHistory, type HistoryService } from '../../../src/history/index.js';
import { startNotifications, type NotificationService } from '../../../src/notify/index.js';

export const FAST_TARGET = { interval: '500ms', timeout: '1s', retries: 1, retryDelay: '100ms' };
export const FAST_BACKOFF = { baseMs: 150, maxMs: 1_000 };

export function notifyConfig(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): LoadedConfig {
  return validateConfig('test-config.json', raw, env);
}

export interface Running {
  engine: Engine;
  history: HistoryService;
  notify: NotificationService;
  dataDir: string;
  stop(): Promise<void>;
}

/** Engine + history + notifications as the console wires them, in a temp data dir. */
export function runMonitor(cfg: LoadedConfig, dataDir = mkdtempSync(join(tmpdir(), 'porthole-notify-')), keepDir = false): Running {
  const engine = new Engine({ targets: cfg.targets, startSpreadMs: 0 });
  const history = startHistory(engine, { dataDir, flushIntervalMs: 100 });
  for (const [id, incident] of history.openIncidents()) engine.seedIncident(id, incident);
  const notify = startNotifications(engine, cfg, history, { backoff: FAST_BACKOFF });
  engine.start();
  return {
    engine,
    history,
    notify,
    dataDir,
    stop: async () => {
      await engine.stop();
      await notify.close();
      history.close();
      if (!keepDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
