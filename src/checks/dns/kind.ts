import { formatHostPort } from '../../config/target.js';
import { sanitize } from '../../text/sanitize.js';
import type { CheckKind } from '../kind.js';

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** A DNS query to a server (the target's host and port), through node's c-ares resolver. */
export const dnsKind: CheckKind = {
  name: 'dns',
  label: 'DNS',
  passed: 'answered',
  figure: 'query time',
  layer: 'transport',
  usesPort: true,
  defaultPort: 53,
  options: (t) => (t.dns ? { dns: { query: t.dns.query, type: t.dns.type ?? 'A', ...(t.dns.expect ? { expect: t.dns.expect } : {}) } } : {}),
  run: async (t) => (await import('./run.js')).runDns(t),
  describe: (t) => `dns ${t.dns?.type ?? 'A'} ${t.dns?.query ?? '?'} @${formatHostPort(t.host, t.port)}`,
  timing: (r) => (r.dns ? `query ${ms(r.dns.queryMs)}ms · ${sanitize(r.dns.rcode, 20)}` : `total ${ms(r.totalMs)}ms`),
  detailLines: (r) => {
    const d = r.dns;
    if (!d) return [];
    const lines = [`answers: ${d.answers.length ? d.answers.map((a) => sanitize(a, 80)).join(', ') : 'none'}`];
    if (d.expected) lines.push(`expected: ${d.expected.map((a) => sanitize(a, 80)).join(', ')}`);
    return lines;
  },
  pluginWhere: (t) => `for ${sanitize(dnsKind.describe(t).slice(4))}`,
  // The check's own evidence says it best ("no echo reply from ...", "... (NXDOMAIN)", "$.status is ...").
  failureText: (r) => r.detail,
  okNote: (r) => (r.dns ? `${r.dns.answers.length} ${r.dns.answers.length === 1 ? 'answer' : 'answers'}: ${r.dns.answers.slice(0, 3).map((a) => sanitize(a, 60)).join(', ')}` : ''),
  toConfig: (t) => (t.dns ? { dns: { query: t.dns.query, ...(t.dns.type !== 'A' ? { type: t.dns.type } : {}), ...(t.dns.expect ? { expect: t.dns.expect } : {}) } } : {}),
  formFields: [
    { key: 'query', label: 'query', hint: 'the name to look up', type: 'text' },
    { key: 'type', label: 'type', hint: 'A, AAAA, MX, TXT, CNAME, NS or SOA (default A)', type: 'text' },
    { key: 'expect', label: 'expect', hint: 'answers that must come back, comma-separated (empty = any)', type: 'list' },
  ],
  series: [{ name: 'probe_dns_answer_rrs', help: 'Returns number of entries in the answer resource record list; dns targets only', value: (r) => r.dns?.answers.length }],
};
