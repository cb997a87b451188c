import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { mergeOverlay, OverlayStore, type Overlay } from '../config/overlay.js';
import { chooseConfig, userConfigDir } from './paths.js';

export interface MergedConfig {
  cfg: LoadedConfig;
  store: Overlay;
  /** The file's targets with the front ends' changes applied. */
  targets: LoadedConfig['targets'];
  warnings: string[];
}

/** The config file's targets with the changes kept in `store` laid over them. */
export function applyOverlay(cfg: LoadedConfig, store: Overlay): MergedConfig {
  const merged = mergeOverlay(cfg.targets, cfg.defaults, store.read());
  const warnings = merged.problems.map((p) => `porthole: ignoring a change kept in ${store.path}: ${p.path}: ${p.message}`);
  return { cfg, store, targets: merged.targets, warnings };
}

/**
 * Config file + the overlay of changes made from a front end (kept in `stateDir`, by default the
 * user's config dir). Throws ConfigError for a bad file.
 */
export function loadMerged(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, stateDir = userConfigDir(env)): MergedConfig {
  const cfg = loadConfigFile(chooseConfig(flag, env).file, env);
  return applyOverlay(cfg, new OverlayStore(stateDir));
}
