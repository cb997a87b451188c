import type { HandshakeClock } from './handshake-clock.js';
import type { PingInfo } from '../checks/ping/types.js';
import type { DnsInfo } from '../checks/dns/types.js';
import type { ApiInfo } from '../checks/http/types.js';
import type { DomainInfo } from '../checks/domain/types.js';

/** What one TCP handshake attempt found. */
export type Outcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'dns' | 'error' | 'mismatch' | 'tls';

export const FAILURE_OUTCOMES: readonly Outcome[] = ['refused', 'timeout', 'unreachable', 'dns', 'error', 'mismatch', 'tls'];

/** Bytes to send: a string (backslash escapes such as \r\n and \x00 are decoded) or hex. */
export type SendSpec = string | { hex: string };

/**
 * One step of a conversation: send bytes (a text may use `${1}`/`${name}` captures of an earlier
 * expect), wait for a line matching a regex, or upgrade the connection to TLS where it stands.
 */
export type ConversationStep = { send: SendSpec } | { expect: string } | { starttls: true };

/**
 * The layers above the handshake, as configured on a target (JSON-friendly: it is persisted with it).
 * Absent means a plain TCP check.
 */
export interface ProbeOptions {
  /** 'banner': run the service's conversation preset (see src/probe/conversation-presets.ts). */
  check?: 'tcp' | 'banner';
  send?: SendSpec;
  expect?: string;
  expectMode?: 'substring' | 'regex';
  /** A conversation of several steps (instead of one send/expect); README "Conversations in steps". */
  steps?: ConversationStep[];
  /** Budget for all reads of the conversation (default: the target's timeout). */
  readTimeoutMs?: number;
  /** Most bytes read from the server before judging (default 1024). */
  maxBytes?: number;
  /** What a wrong or missing answer means: critical (DOWN, default) or warning (SLOW-class). */
  mismatch?: 'critical' | 'warning';
  tls?: boolean;
  starttls?: boolean;
  /** false accepts self-signed, expired or wrong-name certificates on purpose. Default true. */
  tlsVerify?: boolean;
  sni?: string;
  /** A PEM file of extra trusted CAs (an internal CA). */
  tlsCa?: string;
  /** A certificate expiring within this many days is a warning (default 14). */
  certWarnDays?: number;
  http?: { path: string; expectStatus?: number[]; host?: string };
  /** 'all': check every A and AAAA record each round. Default 'first'. */
  addresses?: 'first' | 'all';
  /** With addresses "all": how many addresses must pass for the target to count as up (default: all). */
  quorum?: number;
  /**
   * MySQL/MariaDB: log in as this user (then COM_QUIT) instead of being refused as the probe user.
   * Not a config key yet: wiring it must keep the password out of `config show` and persisted targets.
   */
  login?: MysqlLogin;
}

/** A login for the MySQL/MariaDB preset (HAProxy's `mysql-check user`); the password may come from ${env:}. */
export interface MysqlLogin {
  user: string;
  password?: string;
}

export interface ProbeRequest {
  host: string;
  port: number;
  timeoutMs: number;
  /** 0: the resolver's first answer; 4 or 6: that family only. */
  family: 0 | 4 | 6;
  /** Layers above the handshake; absent for a plain TCP check. */
  options?: ProbeOptions;
  /** The target's service name: which conversation preset `check: "banner"` runs. */
  service?: string;
}

/** Each phase timed on its own (ms, monotonic); null when the phase did not happen. */
export interface Phases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** From ready-to-talk (connected, or TLS up) or from the request sent, to the first byte back. */
  firstByteMs: number | null;
  totalMs: number;
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string | null;
  /** Sanitized leaf certificate subject and issuer, e.g. "CN=example.com". */
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** Whole days until the leaf certificate expires (negative once expired). */
  daysToExpiry: number;
  /**
   * The certificate that expires first among those the server presents (leaf and intermediates; a
   * self-signed root is left out, see tls-info.ts): the leaf itself unless an intermediate lapses sooner.
   */
  earliest?: ChainCert;
  /** The chain as the handshake reported it, leaf first (at most 10). */
  chain?: ChainCert[];
  /** The chain verified and the name matched. */
  authorized: boolean;
  authorizationError?: string;
  servername?: string;
}

/** One certificate of the chain, for expiry. */
export interface ChainCert {
  role: 'leaf' | 'intermediate' | 'root';
  /** Sanitized subject, e.g. "CN=Example Intermediate CA, O=Example". */
  subject: string;
  validTo: string;
  daysToExpiry: number;
}

export interface BannerInfo {
  /** The first bytes the server sent, sanitized and capped (binary shown as \x escapes). */
  text: string;
  bytes: number;
  matched: boolean;
  readTimedOut: boolean;
  /** What was expected, in words ("+PONG or -NOAUTH", "/^SSH-/"). */
  expected: string;
  /** The preset's reading of the answer ("PONG", "MariaDB 10.11.6 (protocol 10)", "SSL: S"). */
  note?: string;
  preset?: string;
}

export interface HttpInfo {
  status: number;
  /** Request written to first response byte. */
  ttfbMs: number;
  matched: boolean;
}

/** One address of a name checked with addresses "all". */
export interface AddressResult {
  address: string;
  family: 4 | 6;
  outcome: Outcome;
  connectMs: number | null;
  clock?: HandshakeClock;
  localPort?: number;
  tlsMs: number | null;
  firstByteMs: number | null;
  totalMs: number;
  errno?: string;
  detail?: string;
}

/** Something wrong with an open, answering target that is a warning rather than an outage. */
export interface ProbeWarning {
  cause: 'cert' | 'partial' | 'loss';
  evidence: string;
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
  /** SYN to established (see `clock`); null when no connection was made. */
  connectMs: number | null;
  /**
   * Where connectMs comes from: the kernel's own SYN→SYN-ACK RTT (TCP_INFO tcpi_rtt), or the JS
   * monotonic clock around connect (no addon, or a retransmitted SYN). Absent when no connection was made.
   */
  clock?: HandshakeClock;
  /** The connection's local port: pairs a check with its packets in a capture or a server's log. */
  localPort?: number;
  /** Whole attempt including resolution. */
  totalMs: number;
  /** errno name kept as evidence (ECONNREFUSED, EHOSTUNREACH, ENOTFOUND, ...). */
  errno?: string;
  /** Human-readable evidence: "connect ECONNREFUSED 127.0.0.1:5432", "no SYN-ACK within 5000ms". */
  detail?: string;
  /** Present when layers ran (or addresses "all"): every phase apart. */
  phases?: Phases;
  tls?: TlsInfo;
  banner?: BannerInfo;
  http?: HttpInfo;
  /** With addresses "all": one entry per address, in resolver order. */
  addresses?: AddressResult[];
  warning?: ProbeWarning;
  /** For a mismatch: how the target's config ranks it. */
  severity?: 'critical' | 'warning';
  /** What a check of another kind found (src/checks/<kind>); for those, connectMs is the kind's main time. */
  ping?: PingInfo;
  dns?: DnsInfo;
  api?: ApiInfo;
  domain?: DomainInfo;
}

export type ProbeFn = (req: ProbeRequest) => Promise<ProbeResult>;

/** Resolver seam: every address of a name (tests inject a stub; the default is dns.lookup all). */
export type LookupAll = (host: string, family: 0 | 4 | 6) => Promise<{ address: string; family: 4 | 6 }[]>;
