import { SERVICE_PORTS, serviceForPort } from './presets.js';
import type { ParsedConfig, ParsedTarget } from './schema.js';
import { probeOptionsFrom } from './probe-options.js';
import type { ProbeOptions } from '../probe/types.js';

/** A target with every default applied: what the engine and the UI work with. */
export interface Target {
  id: string;
  name: string;
  host: string;
  port: number;
  service?: string;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  slowAfterMs: number;
  tags: string[];
  internal: boolean;
  paused: boolean;
  /** 0 = whatever the resolver gives first. */
  family: 0 | 4 | 6;
  /** Notifier names that get this target's alerts (none when absent). */
  notify?: string[];
  /** Layers above the handshake (banner, TLS, HTTP, every address); absent: a plain TCP check. */
  probe?: ProbeOptions;
  /** In a cluster: the locations that check it (absent: every location). */
  locations?: string[];
}

export interface Defaults {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  slowAfterMs: number;
  family: 0 | 4 | 6;
  /** Notifier names for targets that do not name their own. */
  notify?: string[];
  /** For TLS targets that set none: warn when the certificate expires within this many days (else 14). */
  certWarnDays?: number;
}

export const BUILTIN_DEFAULTS: Readonly<Defaults> = Object.freeze({
  intervalMs: 10_000,
  timeoutMs: 5_000,
  retries: 1,
  retryDelayMs: 2_000,
  slowAfterMs: 1_000,
  family: 0,
});

export function resolveDefaults(d: ParsedConfig['defaults']): Defaults {
  return {
    intervalMs: d?.interval ?? BUILTIN_DEFAULTS.intervalMs,
    timeoutMs: d?.timeout ?? BUILTIN_DEFAULTS.timeoutMs,
    retries: d?.retries ?? BUILTIN_DEFAULTS.retries,
    retryDelayMs: d?.retryDelay ?? BUILTIN_DEFAULTS.retryDelayMs,
    slowAfterMs: d?.slowAfter ?? BUILTIN_DEFAULTS.slowAfterMs,
    family: d?.family ?? BUILTIN_DEFAULTS.family,
    ...(d?.notify ? { notify: d.notify } : {}),
    ...(d?.certWarnDays !== undefined ? { certWarnDays: d.certWarnDays } : {}),
  };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function resolveTarget(t: ParsedTarget, defaults: Defaults): Target {
  const port = t.port ?? SERVICE_PORTS[t.service ?? ''] ?? 0;
  const service = t.service ?? serviceForPort(port);
  const name = t.name ?? (t.service ? `${t.service}@${t.host}` : formatHostPort(t.host, port));
  const notify = t.notify ?? defaults.notify;
  return {
    id: t.id ?? name,
    name,
    host: t.host,
    port,
    ...(service ? { service } : {}),
    intervalMs: t.interval ?? defaults.intervalMs,
    timeoutMs: t.timeout ?? defaults.timeoutMs,
    retries: t.retries ?? defaults.retries,
    retryDelayMs: t.retryDelay ?? defaults.retryDelayMs,
    slowAfterMs: t.slowAfter ?? defaults.slowAfterMs,
    tags: t.tags ?? [],
    internal: t.internal ?? false,
    paused: t.paused ?? false,
    family: t.family ?? defaults.family,
    ...(notify ? { notify } : {}),
    ...(t.locations ? { locations: t.locations } : {}),
    ...withProbe(probeOptionsFrom(t), defaults),
  };
}

/** The target's layers, with the defaults' certWarnDays where the target sets none. */
function withProbe(probe: ProbeOptions | undefined, defaults: Defaults): { probe?: ProbeOptions } {
  if (!probe) return {};
  if (probe.certWarnDays === undefined && defaults.certWarnDays !== undefined) return { probe: { ...probe, certWarnDays: defaults.certWarnDays } };
  return { probe };
}
