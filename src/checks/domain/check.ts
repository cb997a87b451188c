import type { Outcome, Phases } from '../../probe/types.js';
import { sanitize } from '../../text/sanitize.js';
import { ExchangeError } from '../http/exchange.js';
import { BootstrapCache } from './bootstrap.js';
import { DEFAULT_DOMAIN_WARN_DAYS } from './defaults.js';
import { fetchJson, type Fetched } from './fetch.js';
import { RdapFormatError, readDomainRecord } from './rdap-document.js';
import { normalizeDomain } from './domain-name.js';
import type { DomainCheckConfig } from './schema.js';
import type { DomainCheckResult, DomainInfo } from './types.js';

const DAY_MS = 86_400_000;
/** Without a usable Retry-After, a 429 still keeps porthole away this long. */
const DEFAULT_RETRY_AFTER_S = 300;
const MAX_RETRY_AFTER_S = 86_400;

export interface DomainCheckOptions {
  timeoutMs: number;
  family?: 0 | 4 | 6;
}

/** Retry-After as seconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when unusable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v), MAX_RETRY_AFTER_S);
  const at = Date.parse(v);
  if (!Number.isFinite(at)) return undefined;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), MAX_RETRY_AFTER_S);
}

function serverForDisplay(base: string): string {
  try {
    const u = new URL(base);
    return sanitize(`${u.protocol}//${u.host}${u.pathname}`, 120);
  } catch {
    return sanitize(base, 120);
  }
}

function phasesOf(r: { dnsMs: number | null; connectMs: number | null; tlsMs: number | null; firstByteMs: number | null }, totalMs: number): Phases {
  return { dnsMs: r.dnsMs, connectMs: r.connectMs, tlsMs: r.tlsMs, firstByteMs: r.firstByteMs, totalMs };
}

/**
 * Registration expiry through RDAP. One checker per process: it holds the bootstrap cache, the
 * registries' Retry-After (a rate-limited server is not asked again before the time it gave, whichever
 * domain is checked) and each domain's last answer (shown, marked as such, while waiting).
 */
export class DomainChecker {
  private readonly bootstrap: BootstrapCache;
  private readonly notBefore = new Map<string, number>();
  private readonly last = new Map<string, DomainCheckResult>();

  constructor(
    cacheDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.bootstrap = new BootstrapCache(cacheDir, now);
  }

  /** One check of `name` (the target's host) with the target's settings; never throws for the network or the registry. */
  async check(name: string, config: DomainCheckConfig, opts: DomainCheckOptions): Promise<DomainCheckResult> {
    const startedAt = this.now();
    const t0 = performance.now();
    const deadline = t0 + opts.timeoutMs;
    const family = opts.family ?? 0;
    const domain = normalizeDomain(name) ?? name.toLowerCase();
    const warnDays = config.domainWarnDays ?? DEFAULT_DOMAIN_WARN_DAYS;
    const info: DomainInfo = { domain: sanitize(domain, 100), verdict: 'error', warnDays, nameservers: [], status: [] };
    const finish = (outcome: Outcome, extra: Partial<DomainCheckResult> = {}): DomainCheckResult => ({
      outcome,
      startedAt,
      dnsMs: null,
      connectMs: null,
      totalMs: performance.now() - t0,
      ...extra,
      ...(extra.detail !== undefined ? { detail: sanitize(extra.detail, 300) } : {}),
      domain: info,
    });

    let base = config.rdapServer;
    if (base === undefined) {
      const url = config.bootstrapUrl;
      if (url === undefined) return finish('error', { detail: 'neither "rdapServer" nor "bootstrapUrl" is set' });
      try {
        const b = await this.bootstrap.lookup(url, domain, { deadline, family, ...(config.tlsCa ? { tlsCa: config.tlsCa } : {}) });
        info.bootstrap = { fetchedAt: b.fetchedAt, fetched: b.fetched, ...(b.staleBecause ? { stale: b.staleBecause } : {}) };
        if (!b.server) return finish('error', { detail: `no RDAP server for .${domain.split('.').at(-1)} in the bootstrap file (${serverForDisplay(url)}); set "rdapServer"` });
        base = b.server;
      } catch (err) {
        return finish(err instanceof ExchangeError ? err.outcome : 'error', { detail: (err as Error).message });
      }
    }
    info.server = serverForDisplay(base);
    let baseUrl: URL;
    try {
      baseUrl = new URL(base.endsWith('/') ? base : `${base}/`);
    } catch {
      return finish('error', { detail: `the bootstrap file gives an RDAP server that is not a URL (${info.server})` });
    }
    const key = `${baseUrl.href} ${domain}`;

    const waitUntil = this.notBefore.get(baseUrl.origin);
    if (waitUntil !== undefined && startedAt < waitUntil) return this.waiting(key, info, startedAt, waitUntil, finish);

    let r: Fetched;
    const q0 = performance.now();
    try {
      r = await fetchJson(new URL(`domain/${encodeURIComponent(domain)}`, baseUrl), { deadline, family, ...(config.tlsCa ? { tlsCa: config.tlsCa } : {}) });
    } catch (err) {
      if (err instanceof ExchangeError) {
        return finish(err.outcome, {
          ...(err.address ? { address: err.address } : {}),
          ...(err.errno ? { errno: err.errno } : {}),
          dnsMs: err.timings.dnsMs,
          phases: phasesOf(err.timings, performance.now() - t0),
          detail: `RDAP ${info.server}: ${err.message}`,
        });
      }
      return finish('error', { detail: `RDAP ${info.server}: ${(err as Error).message}` });
    }
    // connectMs: the kind's main figure, how long the registry took to answer.
    const net: Partial<DomainCheckResult> = { address: r.address, family: r.family, dnsMs: r.dnsMs, connectMs: performance.now() - q0, phases: phasesOf(r, performance.now() - t0), ...(r.tls ? { tls: r.tls } : {}) };

    if (r.status === 429) {
      const retryHeader = typeof r.headers['retry-after'] === 'string' ? r.headers['retry-after'] : undefined;
      const seconds = parseRetryAfter(retryHeader, startedAt) ?? DEFAULT_RETRY_AFTER_S;
      const until = startedAt + seconds * 1000;
      this.notBefore.set(baseUrl.origin, until);
      return this.waiting(key, info, startedAt, until, finish, net);
    }
    if (r.status === 404) {
      info.verdict = 'not-found';
      return finish('mismatch', { ...net, severity: 'critical', detail: `the registry has no domain ${domain} (HTTP 404 from ${info.server})` });
    }
    if (r.status !== 200) return finish('error', { ...net, detail: `RDAP ${info.server} answered HTTP ${r.status} for ${domain}` });
    if (r.truncated) return finish('error', { ...net, detail: `RDAP answer for ${domain} is larger than ${r.body.length} bytes; not read` });
    let doc: unknown;
    try {
      doc = JSON.parse(r.body.toString('utf8'));
    } catch (err) {
      return finish('error', { ...net, detail: `RDAP answer from ${info.server} for ${domain} is not JSON (${(err as Error).message})` });
    }
    let rec;
    try {
      rec = readDomainRecord(doc);
    } catch (err) {
      if (!(err instanceof RdapFormatError)) throw err;
      return finish('error', { ...net, detail: `RDAP answer from ${info.server} for ${domain}: ${err.message}` });
    }

    info.nameservers = rec.nameservers;
    info.status = rec.status;
    if (rec.registrar) info.registrar = rec.registrar;
    if (rec.expires) info.expires = rec.expires;
    let outcome: Outcome = 'open';
    let extra: Partial<DomainCheckResult> = {};
    if (rec.expiresAt === undefined) {
      info.verdict = 'no-expiry';
      extra = { detail: `the registry publishes no expiration date for ${domain}` };
    } else {
      const days = Math.floor((rec.expiresAt - startedAt) / DAY_MS);
      info.daysLeft = days;
      if (rec.expiresAt <= startedAt) {
        info.verdict = 'expired';
        outcome = 'mismatch';
        extra = { severity: 'critical', detail: `registration of ${domain} expired ${-days} day(s) ago (${rec.expires})` };
      } else if (days < warnDays) {
        info.verdict = 'expiring';
        outcome = 'mismatch';
        extra = { severity: 'warning', detail: `registration of ${domain} expires in ${days} day(s) (${rec.expires}; warn under ${warnDays})` };
      } else info.verdict = 'ok';
    }
    const result = finish(outcome, { ...net, ...extra });
    this.last.set(key, result);
    return result;
  }

  /** While a registry asks to wait: its last answer for the domain, marked, or a warning that none is known yet. */
  private waiting(
    key: string,
    info: DomainInfo,
    now: number,
    until: number,
    finish: (o: Outcome, extra?: Partial<DomainCheckResult>) => DomainCheckResult,
    net: Partial<DomainCheckResult> = {},
  ): DomainCheckResult {
    const retryAfter = { untilMs: until, seconds: Math.max(0, Math.ceil((until - now) / 1000)) };
    const prev = this.last.get(key);
    if (prev) {
      return { ...prev, startedAt: now, totalMs: 0, domain: { ...prev.domain, retryAfter, answeredAt: prev.startedAt } };
    }
    info.verdict = 'rate-limited';
    info.retryAfter = retryAfter;
    return finish('mismatch', { ...net, severity: 'warning', detail: `RDAP ${info.server} rate-limits (HTTP 429): not asked again before ${new Date(until).toISOString()}` });
  }
}
