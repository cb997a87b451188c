import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { mergeOverlay, OverlayStore } from '../config/overlay.js';
import { chooseConfig, userConfigDir } from './paths.js';

export interface MergedConfig {
  cfg: LoadedConfig;
  store: OverlayStore;
  /** The file's targets with the console's changes applied. */
  targets: LoadedConfig['targets'];
  warnings: string[];
}

/** Config file + the console's overlay. Throws ConfigError for a bad file. */
export function loadMerged(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): MergedConfig {
  const cfg = loadConfigFile(chooseConfig(flag, env).file, env);
  const store = new OverlayStore(userConfigDir(env));
  const merged = mergeOverlay(cfg.targets, cfg.defaults, store.read());
  const warnings = merged.problems.map((p) => `porthole: ignoring a change kept in ${store.path}: ${p.path}: ${p.message}`);
  return { cfg, store, targets: merged.targets, warnings };
}
