import type { Target } from '../../config/target.js';
import { blockForDisplay } from '../../checks/schemas.js';

const shown = new WeakMap<Target, Target>();

/** A target as the API serves it: its kind's block as `config show` prints it (secrets hidden). */
export function targetAsShown(t: Target): Target {
  let s = shown.get(t);
  if (!s) {
    const block = (t as unknown as Record<string, unknown>)[t.kind];
    const display = block === undefined ? block : blockForDisplay(t.kind, block);
    s = display === block ? t : ({ ...t, [t.kind]: display } as Target);
    shown.set(t, s);
  }
  return s;
}
