import { durationToConfig } from './duration.js';
import { SECRET_CLUSTER_KEYS, SECRET_NOTIFIER_KEYS, urlForDisplay } from './secret-paths.js';
import { kindOf } from '../checks/registry.js';
import { DEFAULT_KIND } from '../checks/kind.js';
import { blockForDisplay } from '../checks/schemas.js';
import { BUILTIN_DEFAULTS, type Defaults, type Target } from './target.js';

/** A target written back in config form, leaving out what equals the defaults. */
export function targetToConfig(t: Target, d: Defaults, forDisplay = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (t.id !== t.name) out.id = t.id;
  out.name = t.name;
  const kind = kindOf(t);
  if (kind.name !== DEFAULT_KIND) out.kind = kind.name;
  out.host = t.host;
  if (t.service && kind.usesPort) out.service = t.service;
  if (kind.usesPort) out.port = t.port;
  if (t.intervalMs !== d.intervalMs) out.interval = durationToConfig(t.intervalMs);
  if (t.timeoutMs !== d.timeoutMs) out.timeout = durationToConfig(t.timeoutMs);
  if (t.retries !== d.retries) out.retries = t.retries;
  if (t.retryDelayMs !== d.retryDelayMs) out.retryDelay = durationToConfig(t.retryDelayMs);
  if (t.slowAfterMs !== d.slowAfterMs) out.slowAfter = durationToConfig(t.slowAfterMs);
  if (t.family !== d.family) out.family = t.family;
  if (t.tags.length) out.tags = t.tags;
  if (t.internal) out.internal = true;
  if (t.paused) out.paused = true;
  if (t.notify && t.notify.join('\0') !== (d.notify ?? []).join('\0')) out.notify = t.notify;
  if (t.locations) out.locations = t.locations;
  if (t.expectState !== undefined) out.expectState = t.expectState;
  // The kind's own keys: the TCP layers, or the kind's block.
  const own = kind.toConfig(t);
  if (forDisplay && own[kind.name] !== undefined) own[kind.name] = blockForDisplay(kind.name, own[kind.name]);
  if (own.certWarnDays === d.certWarnDays) delete own.certWarnDays;
  Object.assign(out, own);
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
  if (d.notify) out.notify = d.notify;
  if (d.certWarnDays !== undefined) out.certWarnDays = d.certWarnDays;
  return out;
}

const HIDDEN = '<hidden: write it as ${env:NAME}>';
const ONLY_ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/** A secret as config show prints it: a ${env:NAME} as written, a URL as scheme://host:port, nothing else. */
function hideSecret(key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    if (ONLY_ENV_REF.test(value)) return value;
    if (key === 'url') return urlForDisplay(value) ?? HIDDEN;
    return value.includes('${env:') ? value : HIDDEN;
  }
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideSecret(key, v)]));
  return value === undefined ? value : HIDDEN;
}

/** The sections other than defaults and targets, as written in the file, secrets hidden. */
export function otherSectionsForDisplay(raw: unknown): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'defaults' || key === 'targets' || key === '$schema') continue;
    if (key === 'notifiers' && value !== null && typeof value === 'object') {
      out.notifiers = Object.fromEntries(
        Object.entries(value).map(([name, n]) => [
          name,
          n !== null && typeof n === 'object' ? Object.fromEntries(Object.entries(n).map(([k, v]) => [k, SECRET_NOTIFIER_KEYS.has(k) ? hideSecret(k, v) : v])) : n,
        ]),
      );
    } else if (key === 'cluster' && value !== null && typeof value === 'object') {
      out.cluster = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_CLUSTER_KEYS.has(k) ? hideSecret(k === 'urls' ? 'url' : k, v) : v]));
    } else out[key] = value;
  }
  return out;
}

export function configForDisplay(d: Defaults, targets: readonly Target[], raw?: unknown): Record<string, unknown> {
  const defaults = defaultsToConfig(d);
  return { ...(Object.keys(defaults).length ? { defaults } : {}), targets: targets.map((t) => targetToConfig(t, d, true)), ...otherSectionsForDisplay(raw) };
}
