/** What one TCP handshake attempt found. */
export type Outcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'dns' | 'error';

export const FAILURE_OUTCOMES: readonly Outcome[] = ['refused', 'timeout', 'unreachable', 'dns', 'error'];

export interface ProbeRequest {
  host: string;
  port: number;
  timeoutMs: number;
  /** 0: the resolver's first answer; 4 or 6: that family only. */
  family: 0 | 4 | 6;
}

export interface ProbeResult {
  outcome: Outcome;
  /** Wall-clock time the attempt started (ms since epoch). */
  startedAt: number;
  /** Address actually dialled, when resolution got that far. */
  address?: string;
  family?: 4 | 6;
  /** Name resolution time; null when the host was an IP literal. */
  dnsMs: number | null;
  /** SYN to established, measured on a monotonic clock; null when no connection was made. */
  connectMs: number | null;
  /** Whole attempt including resolution. */
  totalMs: number;
  /** errno name kept as evidence (ECONNREFUSED, EHOSTUNREACH, ENOTFOUND, ...). */
  errno?: string;
  /** Human-readable evidence: "connect ECONNREFUSED 127.0.0.1:5432", "no SYN-ACK within 5000ms". */
  detail?: string;
}

export type ProbeFn = (req: ProbeRequest) => Promise<ProbeResult>;
