import { kindOf } from '../checks/registry.js';
import type { Target } from '../config/target.js';
import { sanitize } from '../text/sanitize.js';
import { Row } from './family.js';

export const TARGET_LABELS = ['target', 'host', 'port', 'location'] as const;
export type TargetLabels = Record<(typeof TARGET_LABELS)[number], string>;

/** Label values come from a config: control characters become visible escapes before exposition escaping. */
export function labelValue(text: string): string {
  return sanitize(text, 256);
}

/**
 * The row (label set, its text, the families' line beginnings) of each Target object, worked out
 * once: a target's object changes only on pause, resume or edit, and then its row is built afresh.
 */
export class LabelCache {
  private readonly byTarget = new WeakMap<Target, Row<TargetLabels>>();

  constructor(readonly location: string) {}

  of(target: Target): Row<TargetLabels> {
    let r = this.byTarget.get(target);
    if (!r) {
      r = new Row({ target: labelValue(target.name), host: labelValue(target.host), port: kindOf(target).usesPort ? String(target.port) : '', location: this.location });
      this.byTarget.set(target, r);
    }
    return r;
  }
}

export function sameLabels(a: TargetLabels, b: TargetLabels): boolean {
  return a.target === b.target && a.host === b.host && a.port === b.port && a.location === b.location;
}
