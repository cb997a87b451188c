import { isIP } from 'node:net';
import { exchange, type ExchangeResult } from '../http/exchange.js';
import { nextHop, type Hop } from '../http/redirects.js';
import { trustedCas } from '../http/trusted-cas.js';
import { MAX_RDAP_BYTES, MAX_REDIRECTS } from './defaults.js';

export interface FetchOptions {
  /** performance.now() by which the answer must be in. */
  deadline: number;
  family: 0 | 4 | 6;
  /** A PEM file of extra trusted CAs (an internal registry). */
  tlsCa?: string;
}

export interface Fetched extends ExchangeResult {
  /** Where the answer came from, after redirects. */
  url: URL;
}

/**
 * One GET for a JSON document (the bootstrap file, an RDAP answer), following a few redirects (RDAP
 * servers redirect to the authoritative one, RFC 7480 §5.2), certificates always verified. Throws
 * ExchangeError for the network, or an Error for an unreadable tlsCa.
 */
export async function fetchJson(start: URL, opts: FetchOptions): Promise<Fetched> {
  const ca = opts.tlsCa ? trustedCas(opts.tlsCa) : undefined;
  const headers = { accept: 'application/rdap+json, application/json', 'user-agent': 'porthole', 'accept-encoding': 'identity' };
  let hop: Hop = { url: start, method: 'GET', headers };
  for (let redirects = 0; ; redirects++) {
    const host = hop.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const r = await exchange({
      ...hop,
      family: opts.family,
      deadline: opts.deadline,
      tls: { verify: true, ...(ca ? { ca } : {}), ...(isIP(host) ? {} : { servername: host }) },
      maxBodyBytes: MAX_RDAP_BYTES,
    });
    const location = typeof r.headers.location === 'string' ? r.headers.location : undefined;
    const next = redirects < MAX_REDIRECTS ? nextHop(hop, r.status, location, hop.url.origin, headers) : undefined;
    if (!next || 'refused' in next) return { ...r, url: hop.url };
    hop = next.hop;
  }
}
