import { hasEnvRef } from './env.js';
import type { ParsedAlerts, ParsedMaintenance, NotifierConfig, Weekday } from './notify-schema.js';
import { WEEKDAYS } from './notify-schema.js';
import type { Problem } from './problems.js';
import { didYouMean } from './suggest.js';
import type { Target } from './target.js';

export interface AlertSettings {
  slow: boolean;
  trend: boolean;
  /** 0: no reminders. */
  remindEveryMs: number;
  /** 0: every failure is its own message. */
  groupWithinMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_ALERTS: Readonly<AlertSettings> = Object.freeze({
  slow: false,
  trend: false,
  remindEveryMs: 0,
  groupWithinMs: 5_000,
  giveUpAfterMs: 86_400_000,
});

export type MaintenanceWindow =
  | { name: string; targets: string[]; tags: string[]; kind: 'once'; startMs: number; endMs: number }
  /** days: 0 = Sunday … 6 = Saturday (Date#getDay); minutes since local midnight. */
  | { name: string; targets: string[]; tags: string[]; kind: 'weekly'; days: number[]; fromMinute: number; toMinute: number };

export interface NotifyConfig {
  notifiers: Record<string, NotifierConfig>;
  alerts: AlertSettings;
  maintenance: MaintenanceWindow[];
  /** Values that must never be shown: tokens, passwords, webhook URLs, header values, anything from ${env:}. */
  secrets: string[];
}

export const EMPTY_NOTIFY_CONFIG: Readonly<NotifyConfig> = Object.freeze({ notifiers: {}, alerts: DEFAULT_ALERTS, maintenance: [], secrets: [] });

export function resolveAlerts(a: ParsedAlerts | undefined): AlertSettings {
  return {
    slow: a?.slow ?? DEFAULT_ALERTS.slow,
    trend: a?.trend ?? DEFAULT_ALERTS.trend,
    remindEveryMs: a?.remindEvery ?? DEFAULT_ALERTS.remindEveryMs,
    groupWithinMs: a?.groupWithin ?? DEFAULT_ALERTS.groupWithinMs,
    giveUpAfterMs: a?.giveUpAfter ?? DEFAULT_ALERTS.giveUpAfterMs,
  };
}

function minuteOfDay(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

const DAY_INDEX: Readonly<Record<Weekday, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function resolveMaintenance(list: readonly ParsedMaintenance[] | undefined): MaintenanceWindow[] {
  return (list ?? []).map((w, i) => {
    const common = { name: w.name ?? `maintenance[${i}]`, targets: w.targets ?? [], tags: w.tags ?? [] };
    if (w.start !== undefined && w.end !== undefined) return { ...common, kind: 'once', startMs: Date.parse(w.start), endMs: Date.parse(w.end) };
    const days = (w.days ?? WEEKDAYS).map((d) => DAY_INDEX[d]);
    return { ...common, kind: 'weekly', days, fromMinute: minuteOfDay(w.from ?? '00:00'), toMinute: minuteOfDay(w.to ?? '00:00') };
  });
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function urlSecrets(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    const rest = `${u.pathname}${u.search}`;
    if (rest.length >= 8) out.push(rest);
    if (u.password) out.push(u.password);
  } catch {
    // not a URL: the whole string is already listed
  }
  return out;
}

function envRefsIn(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') for (const m of value.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) out.add(m[1]!);
  else if (Array.isArray(value)) value.forEach((v) => envRefsIn(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => envRefsIn(v, out));
}

/** Everything in the notifiers that must not be shown, as the program sees it (after ${env:}). */
export function collectSecrets(notifiers: Record<string, NotifierConfig>, raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  const secrets = new Set<string>();
  const add = (s: string | undefined) => {
    if (s && s.length >= 4) secrets.add(s);
  };
  // A variable used inside a longer string (a key in a URL) is a secret on its own too: a receiver may echo it back.
  const names = new Set<string>();
  envRefsIn(valueAt(raw, ['notifiers']), names);
  for (const name of names) add(env[name]);
  for (const [name, n] of Object.entries(notifiers)) {
    const rawNotifier = valueAt(raw, ['notifiers', name]);
    if (rawNotifier && typeof rawNotifier === 'object') {
      for (const [key, v] of Object.entries(rawNotifier as Record<string, unknown>)) {
        const parsed = (n as Record<string, unknown>)[key];
        if (typeof v === 'string' && hasEnvRef(v) && typeof parsed === 'string') add(parsed);
      }
    }
    switch (n.type) {
      case 'webhook':
        urlSecrets(n.url).forEach(add);
        for (const v of Object.values(n.headers ?? {})) add(v);
        break;
      case 'telegram':
        add(n.token);
        break;
      case 'email':
        add(n.password);
        break;
      case 'command':
        break;
    }
  }
  // Longest first, so a URL is replaced whole before a token inside it.
  return [...secrets].sort((a, b) => b.length - a.length);
}

function unknownNotifierProblem(path: string, name: string, known: string[]): Problem {
  const guess = didYouMean(name, known);
  const list = known.length ? `configured: ${known.join(', ')}` : 'no "notifiers" are configured';
  return { path, message: `unknown notifier "${name}"${guess ? ` — did you mean "${guess}"?` : ''} (${list})` };
}

/** Cross-references the schema cannot check: notifier names used by targets, targets named by windows. */
export function notifyReferenceProblems(
  known: readonly string[],
  defaultNotify: readonly string[] | undefined,
  targets: readonly (Target | undefined)[],
  rawTargetNotify: readonly (readonly string[] | undefined)[],
  maintenanceTargets: readonly (readonly string[] | undefined)[],
): Problem[] {
  const has = new Set(known);
  const problems: Problem[] = [];
  (defaultNotify ?? []).forEach((name, j) => {
    if (!has.has(name)) problems.push(unknownNotifierProblem(`defaults.notify[${j}]`, name, [...known]));
  });
  rawTargetNotify.forEach((list, i) => {
    (list ?? []).forEach((name, j) => {
      if (!has.has(name)) problems.push(unknownNotifierProblem(`targets[${i}].notify[${j}]`, name, [...known]));
    });
  });
  const valid = targets.filter((t): t is Target => t !== undefined);
  // A window naming an invalid target would only repeat that target's own problem.
  if (valid.length < targets.length) return problems;
  const ids = new Set(valid.flatMap((t) => [t.id, t.name]));
  const idList = valid.map((t) => t.id);
  maintenanceTargets.forEach((list, i) => {
    (list ?? []).forEach((id, j) => {
      if (ids.has(id)) return;
      const guess = didYouMean(id, idList);
      problems.push({ path: `maintenance[${i}].targets[${j}]`, message: `unknown target "${id}"${guess ? ` — did you mean "${guess}"?` : ''}` });
    });
  });
  return problems;
}
