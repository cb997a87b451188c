import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DomainChecker } from './check.js';

/** The OS cache dir for porthole (XDG on Linux): where the RDAP bootstrap file is kept. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PORTHOLE_CACHE_DIR) return resolve(env.PORTHOLE_CACHE_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'porthole');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'porthole', 'Cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'porthole');
}

let shared: DomainChecker | undefined;

/** The process-wide checker: one bootstrap cache and one set of registry back-offs for every domain target. */
export function sharedDomainChecker(): DomainChecker {
  return (shared ??= new DomainChecker(userCacheDir()));
}
