import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/problems.js';
import { loadConfigFile } from '../config/load.js';
import { chooseConfig, userDataDir } from './paths.js';

export interface DataDirChoice {
  dir: string;
  why: 'flag' | 'env' | 'config' | 'default';
}

/**
 * --data-dir, else $PORTHOLE_DATA_DIR, else the config's "dataDir" (relative to the config file),
 * else the OS data dir. `config` is the config when the caller has it loaded already, or what
 * --config says (loaded here; a config that does not load only costs its dataDir, with a warning).
 */
export function chooseDataDir(
  flag: string | undefined,
  config: string | undefined | { file: string; dataDir?: string | undefined },
  warn: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): DataDirChoice {
  if (flag) return { dir: resolve(flag), why: 'flag' };
  if (env.PORTHOLE_DATA_DIR) return { dir: resolve(env.PORTHOLE_DATA_DIR), why: 'env' };
  const loaded = typeof config === 'object' ? config : loadDataDirSetting(config, warn, env);
  if (loaded?.dataDir) return { dir: resolve(dirname(loaded.file), loaded.dataDir), why: 'config' };
  return { dir: userDataDir(env), why: 'default' };
}

function loadDataDirSetting(configFlag: string | undefined, warn: (line: string) => void, env: NodeJS.ProcessEnv): { file: string; dataDir?: string } | undefined {
  const choice = chooseConfig(configFlag, env);
  try {
    const cfg = loadConfigFile(choice.file, env);
    return { file: choice.file, ...(cfg.dataDir ? { dataDir: cfg.dataDir } : {}) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    warn(`porthole: warning: config ${choice.file} did not load, so its "dataDir" (if any) is not used`);
    return undefined;
  }
}
