import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { exchange, type ExchangeResult } from '../http/exchange.js';
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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const caCache = new Map<string, string[]>();

function trustedCas(path: string): string[] {
  let cas = caCache.get(path);
  if (!cas) {
    cas = [...rootCertificates, readFileSync(path, 'utf8')];
    caCache.set(path, cas);
  }
  return cas;
}

/**
 * One GET for a JSON document (the bootstrap file, an RDAP answer), following a few redirects (RDAP
 * servers redirect to the authoritative one, RFC 7480 §5.2), certificates always verified. Throws
 * ExchangeError for the network, or an Error for an unreadable tlsCa.
 */
export async function fetchJson(start: URL, opts: FetchOptions): Promise<Fetched> {
  const ca = opts.tlsCa ? trustedCas(opts.tlsCa) : undefined;
  let url = start;
  for (let hop = 0; ; hop++) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const r = await exchange({
      url,
      method: 'GET',
      headers: { accept: 'application/rdap+json, application/json', 'user-agent': 'porthole', 'accept-encoding': 'identity' },
      family: opts.family,
      deadline: opts.deadline,
      tls: { verify: true, ...(ca ? { ca } : {}), ...(isIP(host) ? {} : { servername: host }) },
      maxBodyBytes: MAX_RDAP_BYTES,
    });
    const location = r.headers.location;
    if (!REDIRECTS.has(r.status) || typeof location !== 'string' || hop >= MAX_REDIRECTS) return { ...r, url };
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return { ...r, url };
    url = next;
  }
}
