import { serviceForPort } from '../config/presets.js';
import { presetFor } from '../probe/presets.js';
import { probeTcp } from '../probe/tcp.js';
import type { PortFinding } from './scan.js';

export interface OpenPort extends PortFinding {
  service?: string;
  /** true: the preset's conversation matched; false: it did not; absent: no preset to try. */
  confirmed?: boolean;
  /** Sanitized evidence: the preset's reading of the answer, or why it did not match. */
  evidence?: string;
  tls?: boolean;
}

/** Names each open port from the presets and, where a preset exists, runs its conversation once. */
export async function confirmServices(address: string, family: 4 | 6, open: readonly PortFinding[], timeoutMs: number, banners: boolean, concurrency = 8): Promise<OpenPort[]> {
  const out: OpenPort[] = open.map((f) => {
    const service = serviceForPort(f.port);
    return { ...f, ...(service ? { service } : {}) };
  });
  if (!banners) return out;
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const p = out[next++]!;
      const preset = presetFor(p.service);
      if (!preset) continue;
      const r = await probeTcp({
        host: address,
        port: p.port,
        family,
        timeoutMs,
        ...(p.service ? { service: p.service } : {}),
        // Discovery asks "is it that service", not "is its certificate trusted".
        options: { check: 'banner', readTimeoutMs: timeoutMs, ...(preset.tlsFirst ? { tlsVerify: false } : {}) },
      });
      p.confirmed = r.outcome === 'open';
      if (preset.tlsFirst) p.tls = r.tls !== undefined && r.outcome === 'open';
      const evidence = r.outcome === 'open' ? (r.banner?.note ?? (r.tls ? `${r.tls.protocol ?? 'TLS'} ${r.tls.subject}` : undefined)) : r.detail;
      if (evidence) p.evidence = evidence;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, out.length) }, worker));
  return out;
}
