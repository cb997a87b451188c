import { isDeepStrictEqual } from 'node:util';
import type { Target } from '../config/target.js';

export interface TargetDiff {
  added: Target[];
  removed: string[];
  /** Same id, other settings. */
  changed: Target[];
  unchanged: number;
}

/** What a reload changes: targets matched by id; the rest is compared setting by setting. */
export function diffTargets(running: readonly Target[], next: readonly Target[]): TargetDiff {
  const before = new Map(running.map((t) => [t.id, t]));
  const diff: TargetDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const t of next) {
    seen.add(t.id);
    const old = before.get(t.id);
    if (!old) diff.added.push(t);
    else if (isDeepStrictEqual(old, t)) diff.unchanged++;
    else diff.changed.push(t);
  }
  for (const id of before.keys()) if (!seen.has(id)) diff.removed.push(id);
  return diff;
}
