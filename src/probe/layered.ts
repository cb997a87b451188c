import { checkAddress, type AddressCheck } from './address-check.js';
import { resolveAll, ResolveError } from './resolve.js';
import type { AddressResult, LookupAll, Outcome, ProbeOptions, ProbeRequest, ProbeResult } from './types.js';

/** A name with more addresses than this is checked on its first ones only (bounded work per round). */
const MAX_ADDRESSES = 16;

/** Which failure speaks for a target when several addresses fail differently. */
const WORST_FIRST: readonly Outcome[] = ['timeout', 'unreachable', 'refused', 'tls', 'mismatch', 'error', 'dns'];

function worstFailure(checks: readonly AddressCheck[]): AddressCheck {
  const failed = checks.filter((c) => c.outcome !== 'open');
  failed.sort((a, b) => WORST_FIRST.indexOf(a.outcome) - WORST_FIRST.indexOf(b.outcome));
  return failed[0]!;
}

function label(c: AddressCheck): string {
  return `${c.address} ${c.outcome}${c.errno ? ` (${c.errno})` : ''}`;
}

function subRow(c: AddressCheck): AddressResult {
  return {
    address: c.address,
    family: c.family,
    outcome: c.outcome,
    connectMs: c.connectMs,
    tlsMs: c.tlsMs,
    firstByteMs: c.firstByteMs,
    totalMs: c.totalMs,
    ...(c.errno ? { errno: c.errno } : {}),
    ...(c.detail ? { detail: c.detail } : {}),
  };
}

/** A check with layers above the handshake, on the first address or on every address of the name. */
export async function probeLayered(req: ProbeRequest, o: ProbeOptions, lookupAll?: LookupAll): Promise<ProbeResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  let addresses: { address: string; family: 4 | 6 }[];
  let dnsMs: number | null;
  try {
    const r = await resolveAll(req.host, req.family, req.timeoutMs, lookupAll);
    addresses = o.addresses === 'all' ? r.addresses.slice(0, MAX_ADDRESSES) : r.addresses.slice(0, 1);
    dnsMs = r.dnsMs;
  } catch (err) {
    const code = err instanceof ResolveError ? err.code : 'ENOTFOUND';
    const totalMs = performance.now() - t0;
    return {
      outcome: code === 'EAI_ADDRFAMILY' ? 'error' : 'dns',
      startedAt,
      dnsMs: totalMs,
      connectMs: null,
      totalMs,
      errno: code,
      detail: (err as Error).message,
      phases: { dnsMs: totalMs, connectMs: null, tlsMs: null, firstByteMs: null, totalMs },
    };
  }
  const checks = await Promise.all(addresses.map((a) => checkAddress(req, o, a.address, a.family)));
  const totalMs = performance.now() - t0;
  const ok = checks.filter((c) => c.outcome === 'open');
  const quorum = Math.min(o.quorum ?? checks.length, checks.length);
  const up = ok.length >= quorum;
  // The figure that speaks for the target: the slowest passing address, or the worst failure.
  const lead = up ? ok.reduce((a, b) => ((b.connectMs ?? 0) > (a.connectMs ?? 0) ? b : a)) : worstFailure(checks);
  const all = o.addresses === 'all';
  const failing = checks.length - ok.length;
  const summary = checks.map(label).join(', ');
  const warning =
    up && failing > 0
      ? { cause: 'partial' as const, evidence: `${failing} of ${checks.length} addresses failing: ${summary}` }
      : (ok.find((c) => c.warning)?.warning ?? lead.warning);
  return {
    outcome: up ? 'open' : lead.outcome,
    startedAt,
    address: lead.address,
    family: lead.family,
    dnsMs,
    connectMs: lead.connectMs,
    ...(lead.clock ? { clock: lead.clock } : {}),
    ...(lead.localPort !== undefined ? { localPort: lead.localPort } : {}),
    totalMs,
    ...(!up && lead.errno ? { errno: lead.errno } : {}),
    ...(!up ? { detail: all && checks.length > 1 ? `${summary}: ${lead.detail ?? ''}` : (lead.detail ?? lead.outcome) } : {}),
    phases: { dnsMs, connectMs: lead.connectMs, tlsMs: lead.tlsMs, firstByteMs: lead.firstByteMs, totalMs },
    ...(lead.tls ? { tls: lead.tls } : {}),
    ...(lead.banner ? { banner: lead.banner } : {}),
    ...(lead.http ? { http: lead.http } : {}),
    ...(all ? { addresses: checks.map(subRow) } : {}),
    ...(up && warning ? { warning } : {}),
    ...(!up && lead.outcome === 'mismatch' ? { severity: o.mismatch ?? 'critical' } : {}),
  };
}
