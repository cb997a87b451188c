import type { PortFinding } from './scan.js';

/** An open port and what is known of the service on it. */
export interface OpenPort extends PortFinding {
  /** The service name for the config (a preset or a well-known name). */
  service?: string;
  /** What the table shows: the service, "tls" for TLS of no kind porthole names, absent when unknown. */
  label?: string;
  /** From what it said first, from its answer to a question, or only from the port number (--no-banners). */
  how?: 'greeting' | 'answer' | 'port';
  /** Sanitized words of the server's own. */
  evidence?: string;
  tls?: boolean;
  tlsTrusted?: boolean;
  httpStatus?: number;
  /** The service's preset conversation ran and matched: `check: "banner"` will pass. */
  confirmed?: boolean;
  /** Questions asked (connections after the scan's own), and how long naming it took. */
  asked?: number;
  identifyMs?: number;
}
