import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The OS config dir for porthole (XDG on Linux), where the user's own config and the console's state live. */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PORTHOLE_CONFIG_DIR) return resolve(env.PORTHOLE_CONFIG_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'porthole');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'porthole', 'Config');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'porthole');
}

/** The OS data dir for porthole (XDG on Linux), where the history database lives. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PORTHOLE_DATA_DIR) return resolve(env.PORTHOLE_DATA_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'porthole');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'porthole', 'Data');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'porthole');
}

export function packageRoot(): string {
  // dist/runtime/paths.js or src/runtime/paths.ts → the package root two levels up.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function exampleConfigPath(): string {
  return join(packageRoot(), 'config.example.json');
}

export interface ConfigChoice {
  file: string;
  why: 'flag' | 'env' | 'user' | 'example';
}

/** --config, else $PORTHOLE_CONFIG, else the user's config.json, else the shipped example. */
export function chooseConfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): ConfigChoice {
  if (flag) return { file: resolve(flag), why: 'flag' };
  if (env.PORTHOLE_CONFIG) return { file: resolve(env.PORTHOLE_CONFIG), why: 'env' };
  const user = join(userConfigDir(env), 'config.json');
  if (existsSync(user)) return { file: user, why: 'user' };
  return { file: exampleConfigPath(), why: 'example' };
}
