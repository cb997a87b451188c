import type { Target } from '../../config/target.js';
import { literalAddress, notResolved, resolveHost, type Resolved } from '../../probe/resolve.js';
import type { ProbeResult } from '../../probe/types.js';
import { sanitize } from '../../text/sanitize.js';
import { FpingBatcher } from './fping.js';
import { pingStats } from './parse.js';

let shared: FpingBatcher | undefined;

/** The process-wide batcher: every ping target of this process shares its fping runs. */
export function sharedBatcher(): FpingBatcher {
  return (shared ??= new FpingBatcher());
}

/** One round of echoes to a ping target, judged: DOWN at 100% loss, a warning over lossWarn. */
export async function runPing(t: Target, batcher: FpingBatcher = sharedBatcher()): Promise<ProbeResult> {
  // Always set on a ping target (the kind's defaults applied when it was resolved).
  const o = t.ping ?? { count: 5, periodMs: 200, lossWarnPct: 20 };
  const startedAt = Date.now();
  const t0 = performance.now();
  let resolved: Resolved;
  try {
    resolved = literalAddress(t.host, t.family) ?? (await resolveHost(t.host, t.family, t.timeoutMs));
  } catch (err) {
    return notResolved(err, startedAt, t0);
  }
  const { address, family, dnsMs } = resolved;
  const base = { startedAt, address, family, dnsMs };
  const got = await batcher.ping(address, { count: o.count, periodMs: o.periodMs, timeoutMs: t.timeoutMs });
  const totalMs = performance.now() - t0;
  if ('failed' in got) return { ...base, outcome: 'error', connectMs: null, totalMs, errno: got.errno, detail: sanitize(got.detail, 300) };
  const info = pingStats(got.rtts, o.count, got.errors);
  const shown = family === 6 ? `[${address}]` : address;
  if (info.received === 0) {
    const unreachable = got.errors > 0;
    return {
      ...base,
      outcome: unreachable ? 'unreachable' : 'timeout',
      connectMs: null,
      totalMs,
      errno: unreachable ? 'EHOSTUNREACH' : 'ETIMEDOUT',
      detail: unreachable
        ? `${sanitize(got.firstError ?? 'ICMP unreachable', 120)} (${got.errors} of ${o.count} echoes)`
        : `no echo reply from ${shown}: ${o.count} of ${o.count} lost (${Math.round(t.timeoutMs)}ms each)`,
      ping: info,
    };
  }
  const lossy = info.lossPct > o.lossWarnPct;
  return {
    ...base,
    outcome: 'open',
    connectMs: info.medianMs,
    totalMs,
    ping: info,
    ...(lossy ? { warning: { cause: 'loss' as const, evidence: `${info.lossPct}% loss (${info.sent - info.received} of ${info.sent} echoes lost) > lossWarn ${o.lossWarnPct}%` } } : {}),
  };
}
