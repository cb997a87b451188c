import { Resolver } from 'node:dns/promises';
import type { Target } from '../../config/target.js';
import { literalAddress, notResolved, resolveHost, type Resolved } from '../../probe/resolve.js';
import type { Outcome, ProbeResult } from '../../probe/types.js';
import { sanitize } from '../../text/sanitize.js';
import type { DnsInfo, DnsOptions, DnsType } from './types.js';

/** The resolver's error codes as the DNS answer (or its absence) they stand for, and what that means. */
const BY_CODE: Readonly<Record<string, { rcode: string; outcome: Outcome; words: string }>> = {
  ENOTFOUND: { rcode: 'NXDOMAIN', outcome: 'dns', words: 'the name does not exist (NXDOMAIN)' },
  ENODATA: { rcode: 'NOERROR', outcome: 'dns', words: 'no records of that type (NOERROR, empty answer)' },
  ESERVFAIL: { rcode: 'SERVFAIL', outcome: 'error', words: 'the server failed to answer (SERVFAIL)' },
  EREFUSED: { rcode: 'REFUSED', outcome: 'refused', words: 'the server refused the query (REFUSED)' },
  ENOTIMP: { rcode: 'NOTIMP', outcome: 'error', words: 'the server does not implement the query (NOTIMP)' },
  EFORMERR: { rcode: 'FORMERR', outcome: 'error', words: 'the server could not read the query (FORMERR)' },
  EBADRESP: { rcode: 'BADRESP', outcome: 'error', words: 'the answer could not be read' },
  ETIMEOUT: { rcode: 'TIMEOUT', outcome: 'timeout', words: 'no answer' },
  ECONNREFUSED: { rcode: 'CONNREFUSED', outcome: 'refused', words: 'nothing answers on that port (connection refused)' },
};

/** Answers as text, the way dig's short form shows them. */
async function ask(r: Resolver, name: string, type: DnsType): Promise<string[]> {
  switch (type) {
    case 'A':
      return r.resolve4(name);
    case 'AAAA':
      return r.resolve6(name);
    case 'MX':
      return (await r.resolveMx(name)).map((m) => `${m.priority} ${m.exchange}`);
    case 'TXT':
      return (await r.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'CNAME':
      return r.resolveCname(name);
    case 'NS':
      return r.resolveNs(name);
    case 'SOA': {
      const s = await r.resolveSoa(name);
      return [`${s.nsname} ${s.hostmaster} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minttl}`];
    }
  }
}

/** Names compare without case and without the final dot; TXT compares exactly. */
function normal(type: DnsType, answer: string): string {
  return type === 'TXT' ? answer : answer.toLowerCase().replace(/\.(?=\s|$)/g, '');
}

export function answersMatch(type: DnsType, got: readonly string[], expected: readonly string[]): boolean {
  const a = [...new Set(got.map((x) => normal(type, x)))].sort();
  const b = [...new Set(expected.map((x) => normal(type, x)))].sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** One query to the target's server (UDP, and TCP when the answer is truncated: c-ares does both). */
export async function runDns(t: Target): Promise<ProbeResult> {
  const o = t.dns as DnsOptions;
  const startedAt = Date.now();
  const t0 = performance.now();
  let resolved: Resolved;
  try {
    resolved = literalAddress(t.host, t.family) ?? (await resolveHost(t.host, t.family, t.timeoutMs));
  } catch (err) {
    return notResolved(err, startedAt, t0, "the server's name: ");
  }
  const { address, family, dnsMs } = resolved;
  const server = family === 6 ? `[${address}]:${t.port}` : `${address}:${t.port}`;
  const resolver = new Resolver({ timeout: Math.max(1, Math.round(t.timeoutMs)), tries: 1 });
  resolver.setServers([server]);
  const info = (answers: string[], rcode: string, queryMs: number): DnsInfo => ({
    server,
    query: sanitize(o.query, 255),
    type: o.type,
    answers: answers.map((a) => sanitize(a, 255)).sort(),
    rcode,
    queryMs,
    ...(o.expect ? { expected: o.expect } : {}),
  });
  const base = { startedAt, address, family, dnsMs };
  const tq = performance.now();
  let answers: string[];
  try {
    answers = await ask(resolver, o.query, o.type);
  } catch (err) {
    const queryMs = performance.now() - tq;
    const code = (err as NodeJS.ErrnoException).code ?? 'EBADRESP';
    const known = BY_CODE[code] ?? { rcode: code, outcome: 'error' as const, words: (err as Error).message };
    const words = code === 'ETIMEOUT' ? `no answer from ${server} within ${Math.round(t.timeoutMs)}ms` : known.words;
    return {
      ...base,
      outcome: known.outcome,
      connectMs: null,
      totalMs: performance.now() - t0,
      errno: code,
      detail: `${o.type} ${sanitize(o.query, 100)} @${server}: ${words}`,
      dns: info([], known.rcode, queryMs),
    };
  } finally {
    resolver.cancel();
  }
  const queryMs = performance.now() - tq;
  const found = info(answers, 'NOERROR', queryMs);
  const totalMs = performance.now() - t0;
  if (o.expect && !answersMatch(o.type, answers, o.expect)) {
    return {
      ...base,
      outcome: 'mismatch',
      severity: 'critical',
      connectMs: queryMs,
      totalMs,
      detail: `${o.type} ${sanitize(o.query, 100)} answered ${found.answers.join(', ') || 'nothing'}; expected ${o.expect.map((e) => sanitize(e, 100)).join(', ')}`,
      dns: found,
    };
  }
  return { ...base, outcome: 'open', connectMs: queryMs, totalMs, dns: found };
}
