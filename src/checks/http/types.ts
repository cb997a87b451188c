import type { ProbeResult } from '../../probe/types.js';

/** One redirect followed (or refused): the status and where it pointed (shown without its query). */
export interface RedirectHop {
  status: number;
  location: string;
}

/** A condition the answer did not meet, in words, sanitized. */
export interface FailedCondition {
  /** The condition as configured: `status in 2xx`, `$.status == "ok"`, `body matches /^ok/`. */
  condition: string;
  /** What came back instead: `HTTP 503`, `$.status is "degraded"`, `header content-type is missing`. */
  found: string;
}

/** What an API check saw (every string sanitized, request header values never included). */
export interface ApiInfo {
  method: string;
  /** The URL asked first, as scheme://host:port/path (a query is shown as ?…). */
  url: string;
  /** The URL of the last answer, when redirects moved it. */
  finalUrl?: string;
  /** Status of the last answer; null when none came. */
  status: number | null;
  statusText?: string;
  contentType?: string;
  /** Body bytes read (at most the cap). */
  bytes: number;
  /** The body was longer than the cap and was cut there (not read further). */
  truncated: boolean;
  redirects: RedirectHop[];
  /** Every hop from the first byte sent to the last byte read (ms). */
  responseMs: number | null;
  /** How many conditions were checked, and the first that failed. */
  conditions: number;
  failed?: FailedCondition;
  /** The first characters of the answer's body, sanitized and with request secrets hidden. */
  excerpt?: string;
  /** Set when the answer took longer than the response-time limit (the target's slowAfter). */
  slow?: { limitMs: number; evidence: string };
}

/**
 * A ProbeResult (outcome open = every condition held) with what the API check saw. Its connectMs is
 * the kind's main figure, the response time (from the start of the check, name lookup included, to
 * the last byte read, every redirect included), null when no answer came; the TCP handshake alone is phases.connectMs.
 */
export interface HttpCheckResult extends ProbeResult {
  api: ApiInfo;
}
