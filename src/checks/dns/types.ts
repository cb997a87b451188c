/** What one DNS query found. */
export interface DnsInfo {
  server: string;
  query: string;
  type: string;
  /** The answers as text, sanitized and sorted ("10.0.0.1", "10 mail.example.test", ...). */
  answers: string[];
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ... or the resolver's error code when no answer came. */
  rcode: string;
  /** Query sent to answer parsed (ms, monotonic). */
  queryMs: number;
  /** The answers expected (from the config), when any. */
  expected?: string[];
}

export const DNS_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SOA'] as const;
export type DnsType = (typeof DNS_TYPES)[number];

/** A dns target's settings (the config's "dns" block); the server is the target's host and port. */
export interface DnsOptions {
  query: string;
  type: DnsType;
  /** Answers that must come back (all of them, nothing else); absent: any answer will do. */
  expect?: string[];
}
