import type { PingInfo } from './types.js';

/** What fping said about one address: per-echo round trips (null: lost) and ICMP errors seen. */
export interface FpingHost {
  rtts: (number | null)[];
  /** ICMP error messages for this address ("ICMP Host Unreachable from 10.0.0.1 ..."), counted. */
  errors: number;
  /** The first such message, as evidence. */
  firstError?: string;
}

const SUMMARY = /^(\S+)\s+:((?:\s+(?:-|\d+(?:\.\d+)?))+)\s*$/;
const ICMP_ERROR = /^(ICMP .+) for ICMP Echo sent to (\S+)/;

/**
 * Reads fping's stderr in `-C N` mode: a summary line per address ("127.0.0.1 : 0.05 - 0.04") and,
 * without -q, one line per ICMP error that came back instead of a reply.
 */
export function parseFpingStderr(text: string): Map<string, FpingHost> {
  const out = new Map<string, FpingHost>();
  const entry = (addr: string): FpingHost => {
    let e = out.get(addr);
    if (!e) out.set(addr, (e = { rtts: [], errors: 0 }));
    return e;
  };
  for (const line of text.split('\n')) {
    const s = SUMMARY.exec(line);
    if (s) {
      entry(s[1]!).rtts = s[2]!.trim().split(/\s+/).map((v) => (v === '-' ? null : Number(v)));
      continue;
    }
    const e = ICMP_ERROR.exec(line);
    if (e) {
      const h = entry(e[2]!);
      h.errors++;
      h.firstError ??= e[1]!;
    }
  }
  return out;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Round trips to min/median/max, loss and jitter (mean absolute difference of consecutive replies). */
export function pingStats(rtts: readonly (number | null)[], sent: number, unreachable: number): PingInfo {
  const got = rtts.filter((v): v is number => v !== null);
  const sorted = [...got].sort((a, b) => a - b);
  let jitter: number | null = null;
  if (got.length >= 2) {
    let sum = 0;
    for (let i = 1; i < got.length; i++) sum += Math.abs(got[i]! - got[i - 1]!);
    jitter = sum / (got.length - 1);
  }
  const padded = Array.from({ length: sent }, (_, i) => rtts[i] ?? null);
  return {
    sent,
    received: got.length,
    lossPct: sent === 0 ? 100 : Math.round(((sent - got.length) / sent) * 1000) / 10,
    minMs: sorted.length ? sorted[0]! : null,
    medianMs: sorted.length ? median(sorted) : null,
    maxMs: sorted.length ? sorted[sorted.length - 1]! : null,
    jitterMs: jitter,
    unreachable,
    rtts: padded,
  };
}
