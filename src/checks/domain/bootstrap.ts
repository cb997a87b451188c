import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sanitize } from '../../text/sanitize.js';
import { BOOTSTRAP_MAX_AGE_MS } from './defaults.js';
import { fetchJson, type FetchOptions } from './fetch.js';

/**
 * The RDAP bootstrap registry for DNS (RFC 9224): which RDAP base URLs serve which TLDs. Fetched from
 * `bootstrapUrl`, kept on disk with the time it was fetched, fetched again at most once a day; when a
 * refresh fails, the copy on disk (however old) still answers and the failure is reported beside it.
 */

export interface BootstrapDocument {
  publication?: string;
  /** TLD (lower case, ASCII) → RDAP base URLs, https first. */
  servers: Map<string, string[]>;
}

export interface BootstrapAnswer {
  /** The RDAP base URL for the domain, or undefined when no TLD of the file covers it. */
  server?: string;
  /** Which entry matched ("com", "co.uk"). */
  matched?: string;
  /** When the file in use was fetched (ms since epoch). */
  fetchedAt: number;
  /** Set when the file in use is older than a day because the refresh failed. */
  staleBecause?: string;
  /** true when this call fetched the file (false: from memory or disk). */
  fetched: boolean;
}

export class BootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootstrapError';
  }
}

interface CacheFile {
  url: string;
  fetchedAt: number;
  document: unknown;
}

/** Validates a bootstrap file's shape; the error says what is wrong where. */
export function parseBootstrap(doc: unknown, source: string): BootstrapDocument {
  const bad = (what: string) => new BootstrapError(`bootstrap file from ${source}: ${what}`);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw bad('expected a JSON object with "services"');
  const services = (doc as Record<string, unknown>).services;
  if (!Array.isArray(services)) throw bad('expected "services" to be a list of [[TLDs], [URLs]]');
  const servers = new Map<string, string[]>();
  services.forEach((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length < 2 || !Array.isArray(entry[0]) || !Array.isArray(entry[1])) throw bad(`services[${i}]: expected [[TLDs], [URLs]]`);
    const urls = (entry[1] as unknown[]).filter((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
    // RFC 9224 §3: prefer https when both are given.
    urls.sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')));
    if (urls.length === 0) return;
    for (const tld of entry[0] as unknown[]) {
      if (typeof tld === 'string' && tld.length > 0) servers.set(tld.toLowerCase().replace(/\.$/, ''), urls);
    }
  });
  const publication = (doc as Record<string, unknown>).publication;
  return { servers, ...(typeof publication === 'string' ? { publication: sanitize(publication, 40) } : {}) };
}

/** The longest entry of the file that is a suffix of the domain (RFC 9224 §4). */
export function serverFor(doc: BootstrapDocument, domain: string): { server: string; matched: string } | undefined {
  const labels = domain.split('.');
  for (let i = 1; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    const urls = doc.servers.get(suffix);
    if (urls?.[0]) return { server: urls[0], matched: suffix };
  }
  return undefined;
}

export class BootstrapCache {
  private memory: { url: string; fetchedAt: number; doc: BootstrapDocument; staleBecause?: string; triedAt: number } | undefined;
  private inflight: Promise<void> | undefined;
  private readonly file: string;

  constructor(
    cacheDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(cacheDir, 'rdap-bootstrap-dns.json');
  }

  /** Which RDAP server answers for `domain`, from a bootstrap file no older than a day when one can be had. */
  async lookup(bootstrapUrl: string, domain: string, opts: FetchOptions): Promise<BootstrapAnswer> {
    let fetched = false;
    if (!this.fresh(bootstrapUrl)) {
      this.fromDisk(bootstrapUrl);
      if (!this.fresh(bootstrapUrl)) {
        // Many domain targets start together: one fetch serves them all.
        this.inflight ??= this.refresh(bootstrapUrl, opts).finally(() => (this.inflight = undefined));
        fetched = await this.inflight.then(() => true);
      }
    }
    const m = this.memory;
    if (!m || m.url !== bootstrapUrl) throw new BootstrapError('no bootstrap file');
    const found = serverFor(m.doc, domain);
    return { ...(found ?? {}), fetchedAt: m.fetchedAt, fetched, ...(m.staleBecause ? { staleBecause: m.staleBecause } : {}) };
  }

  /** Fresh: fetched within a day, or a failed refresh tried within the last hour (no hammering). */
  private fresh(url: string): boolean {
    const m = this.memory;
    if (!m || m.url !== url) return false;
    const now = this.now();
    return now - m.fetchedAt < BOOTSTRAP_MAX_AGE_MS || (m.staleBecause !== undefined && now - m.triedAt < 3_600_000);
  }

  private fromDisk(url: string): void {
    if (this.memory?.url === url) return;
    try {
      const c = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile;
      if (c.url !== url || typeof c.fetchedAt !== 'number') return;
      this.memory = { url, fetchedAt: c.fetchedAt, doc: parseBootstrap(c.document, `the cache ${this.file}`), triedAt: 0 };
    } catch {
      // No cache, or a damaged one: it is fetched again.
    }
  }

  /** Atomically (write, then rename); a cache that cannot be written only costs a fetch next time. */
  private toDisk(c: CacheFile): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(c));
      renameSync(tmp, this.file);
    } catch {
      rmSync(tmp, { force: true });
    }
  }

  private async refresh(url: string, opts: FetchOptions): Promise<void> {
    const now = this.now();
    try {
      const r = await fetchJson(new URL(url), opts);
      if (r.status !== 200) throw new BootstrapError(`bootstrap file from ${url}: HTTP ${r.status}`);
      if (r.truncated) throw new BootstrapError(`bootstrap file from ${url}: larger than ${r.body.length} bytes`);
      let document: unknown;
      try {
        document = JSON.parse(r.body.toString('utf8'));
      } catch (err) {
        throw new BootstrapError(`bootstrap file from ${url} is not JSON: ${(err as Error).message}`);
      }
      const doc = parseBootstrap(document, url);
      this.memory = { url, fetchedAt: now, doc, triedAt: now };
      this.toDisk({ url, fetchedAt: now, document });
    } catch (err) {
      const why = sanitize((err as Error).message, 200);
      if (this.memory?.url === url) {
        this.memory = { ...this.memory, staleBecause: why, triedAt: now };
        return;
      }
      throw err instanceof BootstrapError ? err : new BootstrapError(`cannot fetch the bootstrap file ${url}: ${why}`);
    }
  }
}
