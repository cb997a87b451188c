import { KINDS } from '../checks/registry.js';
import type { Registry } from 'prom-client';
import type { ProbeResult } from '../probe/types.js';
import { TargetFamily } from './family.js';
import type { Frames } from './frame.js';
import { TARGET_LABELS } from './labels.js';

/** Node's TLSSocket.getProtocol() names ("TLSv1.3") as blackbox_exporter spells them ("TLS 1.3"). */
export function tlsVersionLabel(protocol: string | null): string {
  const m = /^TLSv(1(?:\.[0-3])?)$/.exec(protocol ?? '');
  if (!m) return 'unknown';
  return `TLS ${m[1] === '1' ? '1.0' : m[1]}`;
}

/** The earliest notAfter of the leaf and intermediates in unix seconds, when the last check saw a certificate. */
function certExpirySeconds(result: ProbeResult): number | undefined {
  const validTo = result.tls?.earliest?.validTo ?? result.tls?.validTo;
  if (!validTo) return undefined;
  const at = Date.parse(validTo);
  return Number.isFinite(at) ? Math.floor(at / 1000) : undefined;
}

/** Milliseconds as seconds to the microsecond: finer digits are noise and cost bytes on every line. */
export function seconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

const VERSION_LABELS = new Map<string, { version: string }>();
/** One label object per version, so its text is cached like a target's. */
function versionLabels(protocol: string | null): { version: string } {
  const version = tlsVersionLabel(protocol);
  let l = VERSION_LABELS.get(version);
  if (!l) VERSION_LABELS.set(version, (l = { version }));
  return l;
}

/**
 * blackbox_exporter's probe_* series, with its names and meanings, one per target from its last
 * completed check (blackbox answers one probe per scrape; porthole reports each target's latest).
 * A target never checked yet, or paused, has none: a stale result must not read as live.
 */
export function registerBlackbox(registry: Registry, frames: Frames): TargetFamily[] {
  const labelNames = [...TARGET_LABELS];
  const family = (name: string, help: string, value: (r: ProbeResult) => number | undefined) =>
    new TargetFamily(registry, { name, help, type: 'gauge', labelNames }, {
      frames,
      each: (v, row, emit) => {
        if (!v.lastResult || v.monitor.state === 'PAUSED') return;
        const x = value(v.lastResult);
        if (x !== undefined) emit(row, x);
      },
    });

  return [
    family('probe_success', 'Displays whether or not the probe was a success (the last completed check: 1 connected and every layer passed, 0 failed)', (r) => (r.outcome === 'open' ? 1 : 0)),
    family('probe_duration_seconds', 'Returns how long the probe took to complete in seconds (the whole last check, name resolution included)', (r) => seconds(r.totalMs)),
    family('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds (0 for an IP address)', (r) => seconds(r.dnsMs ?? 0)),
    family('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6 (4 or 6; absent when the name did not resolve)', (r) => r.family),
    family('probe_ssl_earliest_cert_expiry', 'Returns earliest SSL cert expiry date in unix seconds (the leaf and the intermediates the server presents); TLS targets only', certExpirySeconds),
    new TargetFamily(registry, { name: 'probe_tls_version_info', help: 'Contains the TLS version used (value 1); TLS targets only', type: 'gauge', labelNames: [...labelNames, 'version'] }, {
      frames,
      each: (v, row, emit) => {
        const tls = v.lastResult?.tls;
        if (tls && v.monitor.state !== 'PAUSED') emit(row, 1, versionLabels(tls.protocol));
      },
    }),
    // Each check kind's own series (src/checks/<kind>/kind.ts), e.g. a ping round's loss.
    ...Object.values(KINDS).flatMap((k) => (k.series ?? []).map((x) => family(x.name, x.help, x.value))),
  ];
}
