/** What one round of ICMP echoes to a host found (times in ms). */
export interface PingInfo {
  sent: number;
  received: number;
  /** Lost echoes in percent, 0-100. */
  lossPct: number;
  minMs: number | null;
  medianMs: number | null;
  maxMs: number | null;
  /** Mean absolute difference between consecutive replies' round trips; null with fewer than two. */
  jitterMs: number | null;
  /** ICMP errors (host/net unreachable, ...) that came back instead of replies. */
  unreachable: number;
  /** Each echo's round trip in order sent, null for a lost one. */
  rtts: (number | null)[];
}

/** A ping target's settings (the config's "ping" block, defaults applied). */
export interface PingOptions {
  /** Echoes per round. */
  count: number;
  /** Between two echoes to the same host (fping -p). */
  periodMs: number;
  /** Loss over this percentage is SLOW (a warning). */
  lossWarnPct: number;
}

export const PING_DEFAULTS: Readonly<PingOptions> = Object.freeze({ count: 5, periodMs: 200, lossWarnPct: 20 });
