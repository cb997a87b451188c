import type { ExpectState } from './cluster-schema.js';
import { SERVICE_PORTS, serviceForPort } from './service-ports.js';
import type { ParsedConfig, ParsedTarget } from './schema.js';
import { probeOptionsFrom } from './probe-options.js';
import type { ProbeOptions } from '../probe/types.js';
import type { KindName } from '../checks/kind.js';
import type { PingOptions } from '../checks/ping/types.js';
import type { DnsOptions } from '../checks/dns/types.js';
import type { HttpCheckConfig } from '../checks/http/schema.js';
import type { DomainCheckConfig } from '../checks/domain/schema.js';
import { KINDS } from '../checks/registry.js';

/** A target with every default applied: what the engine and the UI work with. */
export interface Target {
  id: string;
  name: string;
  /** What kind of check (src/checks/registry.ts); tcp unless the config says otherwise. */
  kind: KindName;
  host: string;
  /** 0 for a kind that has no port (ping). */
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
  /** "closed": the port must not answer (cause "exposed" when it does); per location in a cluster. Absent: open. */
  expectState?: ExpectState;
  /** The settings of a target of another kind than tcp: its kind's block (defaults applied where the kind has them). */
  ping?: PingOptions;
  dns?: DnsOptions;
  http?: HttpCheckConfig;
  domain?: DomainCheckConfig;
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

/**
 * A parsed target with every default applied. A kind's own defaults (ping: 1 s per echo) come before
 * the config's `defaults`, which are written with TCP in mind; the target's own values come first.
 */
export function resolveTarget(t: ParsedTarget, defaults: Defaults): Target {
  const kind = KINDS[t.kind ?? 'tcp'];
  const kd = kind.defaults ?? {};
  const port = kind.usesPort ? (t.port ?? SERVICE_PORTS[t.service ?? ''] ?? kind.defaultPort ?? 0) : 0;
  const service = kind.usesPort ? (t.service ?? serviceForPort(port)) : undefined;
  const options = kind.options?.(t) ?? {};
  const describe = () => kind.describe({ ...BLANK, kind: kind.name, host: t.host, port, ...options });
  const name = t.name ?? (t.service ? `${t.service}@${t.host}` : describe());
  const notify = t.notify ?? defaults.notify;
  return {
    id: t.id ?? name,
    name,
    kind: kind.name,
    host: t.host,
    port,
    ...(service ? { service } : {}),
    intervalMs: t.interval ?? kd.intervalMs ?? defaults.intervalMs,
    timeoutMs: t.timeout ?? kd.timeoutMs ?? defaults.timeoutMs,
    retries: t.retries ?? defaults.retries,
    retryDelayMs: t.retryDelay ?? defaults.retryDelayMs,
    slowAfterMs: t.slowAfter ?? kd.slowAfterMs ?? defaults.slowAfterMs,
    tags: t.tags ?? [],
    internal: t.internal ?? false,
    paused: t.paused ?? false,
    family: t.family ?? defaults.family,
    ...(notify ? { notify } : {}),
    ...(t.locations ? { locations: t.locations } : {}),
    ...(t.expectState !== undefined && t.expectState !== 'open' ? { expectState: t.expectState } : {}),
    ...withProbe(probeOptionsFrom(t), defaults),
    ...options,
  };
}

/** Enough of a target for a kind to describe one still being resolved. */
const BLANK: Target = { id: '', name: '', kind: 'tcp', host: '', port: 0, intervalMs: 0, timeoutMs: 0, retries: 0, retryDelayMs: 0, slowAfterMs: 0, tags: [], internal: false, paused: false, family: 0 };

/** The target's layers, with the defaults' certWarnDays where the target sets none. */
function withProbe(probe: ProbeOptions | undefined, defaults: Defaults): { probe?: ProbeOptions } {
  if (!probe) return {};
  if (probe.certWarnDays === undefined && defaults.certWarnDays !== undefined) return { probe: { ...probe, certWarnDays: defaults.certWarnDays } };
  return { probe };
}
