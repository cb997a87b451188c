// Installs hook.ts (bounded, shared Ink 6.8.0 caches; see patch.ts for why) before Ink is imported.
// Must run before the first import('ink'): modules already loaded are not re-loaded.
// PORTHOLE_STOCK_INK=1 skips it (stock Ink, for comparison or if the patch is ever suspected).
import * as nodeModule from 'node:module';

let registered = false;

/** True when the hook is (now) registered. */
export function registerInkPatch(): boolean {
  if (registered) return true;
  if (process.env.PORTHOLE_STOCK_INK === '1') return false;
  const register = (nodeModule as { register?: (specifier: URL) => void }).register;
  if (typeof register !== 'function') return false;
  register(new URL('./hook.js', import.meta.url));
  registered = true;
  return true;
}
