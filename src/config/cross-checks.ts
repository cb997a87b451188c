import { durationToConfig } from './duration.js';
import type { Problem } from './problems.js';
import { defaultsSchema, targetSchema } from './schema.js';
import { BUILTIN_DEFAULTS, resolveDefaults, resolveTarget, type Defaults, type Target } from './target.js';

/**
 * The checks that look across the config (unique names, notifier and target references, timing).
 * They run on every part that passed the schema on its own, even when another part did not, so one
 * run reports the problems of every stage.
 */
export interface Sections {
  defaults: Defaults;
  /** One entry per element of "targets"; undefined where that target is invalid. */
  targets: (Target | undefined)[];
  /** Each target's own "notify" list as written (when it is a list of names). */
  targetNotify: (readonly string[] | undefined)[];
  /** The names under "notifiers", valid or not (a broken notifier still exists by name). */
  notifierNames: string[];
  /** Each maintenance window's "targets" list (when it is a list of names). */
  maintenanceTargets: (readonly string[] | undefined)[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const names = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

export function sectionsOf(config: Record<string, unknown>): Sections {
  const d = defaultsSchema.safeParse(config.defaults ?? {});
  const notify = names(valueOf(config.defaults, 'notify'));
  const defaults: Defaults = d.success ? resolveDefaults(d.data) : { ...BUILTIN_DEFAULTS, ...(notify ? { notify } : {}) };
  const list = Array.isArray(config.targets) ? (config.targets as unknown[]) : [];
  const targets = list.map((t) => {
    const parsed = targetSchema.safeParse(t);
    return parsed.success ? resolveTarget(parsed.data, defaults) : undefined;
  });
  return {
    defaults,
    targets,
    targetNotify: list.map((t) => names(valueOf(t, 'notify'))),
    notifierNames: isObject(config.notifiers) ? Object.keys(config.notifiers) : [],
    maintenanceTargets: Array.isArray(config.maintenance) ? (config.maintenance as unknown[]).map((w) => names(valueOf(w, 'targets'))) : [],
  };
}

function valueOf(v: unknown, key: string): unknown {
  return isObject(v) ? v[key] : undefined;
}

export function duplicateProblems(targets: readonly (Target | undefined)[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  targets.forEach((t, i) => {
    if (!t) return;
    const n = names.get(t.name);
    if (n !== undefined) problems.push({ path: `targets[${i}].name`, message: `duplicate name "${t.name}" (also targets[${n}]); names must be unique` });
    else names.set(t.name, i);
    const d = ids.get(t.id);
    if (d !== undefined && n === undefined) problems.push({ path: `targets[${i}].id`, message: `duplicate id "${t.id}" (also targets[${d}]); ids must be unique` });
    else ids.set(t.id, i);
  });
  return problems;
}

/**
 * A timeout longer than the interval. Checks of one target never overlap: the next check starts at
 * the first interval point at least half an interval after the last one started and after it ended
 * (src/engine/engine.ts planNext). So while a target does not answer, its checks are spaced by the
 * timeout rounded up to the next interval, not by the interval. A warning, not an error: a short
 * interval with the default timeout is a reasonable config, and it says what will happen.
 */
export function timingWarnings(config: Record<string, unknown>, sections: Sections): Problem[] {
  const warnings: Problem[] = [];
  const spacing = (t: { timeoutMs: number; intervalMs: number }) => (Math.floor(t.timeoutMs / t.intervalMs) + 1) * t.intervalMs;
  const say = (t: { timeoutMs: number; intervalMs: number }) =>
    `timeout ${durationToConfig(t.timeoutMs)} is longer than the interval ${durationToConfig(t.intervalMs)}: checks of a target never overlap, ` +
    `so while it does not answer each check waits out the timeout and the next starts at the interval point after it — about every ${durationToConfig(spacing(t))} instead of every ${durationToConfig(t.intervalMs)}; ` +
    `set "timeout" to at most the interval to keep the spacing`;
  const list = Array.isArray(config.targets) ? (config.targets as unknown[]) : [];
  let inherited = 0;
  sections.targets.forEach((t, i) => {
    if (!t || t.timeoutMs <= t.intervalMs) return;
    const own = list[i];
    const setsTiming = isObject(own) && (own.timeout !== undefined || own.interval !== undefined);
    if (setsTiming) warnings.push({ path: `targets[${i}]`, message: say(t) });
    else inherited++;
  });
  if (inherited > 0) warnings.push({ path: 'defaults', message: `${say(sections.defaults)} (${inherited} target${inherited === 1 ? '' : 's'} use these defaults)` });
  return warnings;
}
