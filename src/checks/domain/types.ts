import type { ProbeResult } from '../../probe/types.js';

/**
 * ok: expires after the warning window · expiring: within it (SLOW-class) · expired, not-found: DOWN ·
 * no-expiry: the registry publishes no date (UP, said in the detail) · rate-limited: HTTP 429 and no
 * earlier answer to show (SLOW-class) · error: no answer that could be read.
 */
export type DomainVerdict = 'ok' | 'expiring' | 'expired' | 'not-found' | 'no-expiry' | 'rate-limited' | 'error';

/** What a domain-expiry check found; every string came from the network and is sanitized. */
export interface DomainInfo {
  domain: string;
  /** The RDAP base URL asked. */
  server?: string;
  verdict: DomainVerdict;
  /** Whole days to the expiration event (negative once past). */
  daysLeft?: number;
  /** The expiration date as the registry wrote it. */
  expires?: string;
  registrar?: string;
  nameservers: string[];
  status: string[];
  warnDays: number;
  /** The registry said to wait (HTTP 429 Retry-After): it is not asked again before untilMs. */
  retryAfter?: { untilMs: number; seconds: number };
  /** Set when this is an earlier answer shown again while waiting: when it was fetched (ms since epoch). */
  answeredAt?: number;
  /** The bootstrap file used: when it was fetched, whether this check fetched it, why it is stale. */
  bootstrap?: { fetchedAt: number; fetched: boolean; stale?: string };
}

/**
 * A ProbeResult for a domain: outcome open (fine, or no date published), mismatch with severity
 * warning (expiring, rate-limited) or critical (expired, not found), or the network's own outcome.
 * connectMs is the kind's main figure: the RDAP query's time (null when no answer came).
 */
export interface DomainCheckResult extends ProbeResult {
  domain: DomainInfo;
}
