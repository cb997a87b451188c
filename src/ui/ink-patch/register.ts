// Installs the load hook (hook.ts: bounded, shared Ink 6.8.0 caches; see patch.ts for why) before Ink
// is imported. Must run before the first import('ink'): modules already loaded are not re-loaded.
// module.registerHooks (in-thread, synchronous) where Node has it; else module.register (a hooks
// thread; deprecated as DEP0205 on the Node versions that have registerHooks).
// PORTHOLE_STOCK_INK=1 skips it (stock Ink, for comparison or if the patch is ever suspected).
import * as nodeModule from 'node:module';
import { loadSync } from './hook.js';

export type HookApi = 'module.registerHooks' | 'module.register';

interface ModuleHooksApi {
  registerHooks?: (hooks: { load: typeof loadSync }) => unknown;
  register?: (specifier: URL) => void;
}

let registered: HookApi | undefined;

/** Which API this Node offers for the hook (undefined: none, Ink loads stock). */
export function hookApi(): HookApi | undefined {
  const m = nodeModule as ModuleHooksApi;
  if (typeof m.registerHooks === 'function') return 'module.registerHooks';
  if (typeof m.register === 'function') return 'module.register';
  return undefined;
}

/** True when the hook is (now) registered. */
export function registerInkPatch(): boolean {
  if (registered) return true;
  if (process.env.PORTHOLE_STOCK_INK === '1') return false;
  const m = nodeModule as ModuleHooksApi;
  const api = hookApi();
  if (api === 'module.registerHooks') m.registerHooks!({ load: loadSync });
  else if (api === 'module.register') m.register!(new URL('./hook.js', import.meta.url));
  else return false;
  registered = api;
  return true;
}
