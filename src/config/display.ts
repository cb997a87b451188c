import { durationToConfig } from './duration.js';
import { probeOptionsToConfig } from './probe-options.js';
import { BUILTIN_DEFAULTS, type Defaults, type Target } from './target.js';

/** A target written back in config form, leaving out what equals the defaults. */
export function targetToConfig(t: Target, d: Defaults): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (t.id !== t.name) out.id = t.id;
  out.name = t.name;
  out.host = t.host;
  if (t.service) out.service = t.service;
  out.port = t.port;
  if (t.intervalMs !== d.intervalMs) out.interval = durationToConfig(t.intervalMs);
  if (t.timeoutMs !== d.timeoutMs) out.timeout = durationToConfig(t.timeoutMs);
  if (t.retries !== d.retries) out.retries = t.retries;
  if (t.retryDelayMs !== d.retryDelayMs) out.retryDelay = durationToConfig(t.retryDelayMs);
  if (t.slowAfterMs !== d.slowAfterMs) out.slowAfter = durationToConfig(t.slowAfterMs);
  if (t.family !== d.family) out.family = t.family;
  if (t.tags.length) out.tags = t.tags;
  if (t.internal) out.internal = true;
  if (t.paused) out.paused = true;
  Object.assign(out, probeOptionsToConfig(t.probe));
  return out;
}

export function defaultsToConfig(d: Defaults): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.intervalMs !== BUILTIN_DEFAULTS.intervalMs) out.interval = durationToConfig(d.intervalMs);
  if (d.timeoutMs !== BUILTIN_DEFAULTS.timeoutMs) out.timeout = durationToConfig(d.timeoutMs);
  if (d.retries !== BUILTIN_DEFAULTS.retries) out.retries = d.retries;
  if (d.retryDelayMs !== BUILTIN_DEFAULTS.retryDelayMs) out.retryDelay = durationToConfig(d.retryDelayMs);
  if (d.slowAfterMs !== BUILTIN_DEFAULTS.slowAfterMs) out.slowAfter = durationToConfig(d.slowAfterMs);
  if (d.family !== BUILTIN_DEFAULTS.family) out.family = d.family;
  return out;
}

export function configForDisplay(d: Defaults, targets: readonly Target[]): Record<string, unknown> {
  const defaults = defaultsToConfig(d);
  return { ...(Object.keys(defaults).length ? { defaults } : {}), targets: targets.map((t) => targetToConfig(t, d)) };
}
