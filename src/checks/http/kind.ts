import type { ProbeResult } from '../../probe/types.js';
import { sanitize } from '../../text/sanitize.js';
import type { CheckKind } from '../kind.js';
import { httpDetailLines } from './detail.js';
import type { HttpCheckResult } from './types.js';

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v < 10 ? v.toFixed(1) : v.toFixed(0)}ms`);

/**
 * The URL in a few words, without its query or fragment (either may carry a key), ${env:} as written.
 * (config show's fuller version, which also hides header values, is src/checks/http/display.ts.)
 */
function urlForDisplay(url: string): string {
  if (url.includes('${env:')) return url.replace(/[?#].*$/, '?…');
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search || u.hash ? '?…' : ''}`;
  } catch {
    return url.replace(/[?#].*$/, '?…');
  }
}

/** The result as the API check's own functions take it: a ProbeResult that has its `api` part. */
const asHttp = (r: ProbeResult): HttpCheckResult | undefined => (r.api ? (r as HttpCheckResult) : undefined);

/** An API check (src/checks/http): one request, conditions on the answer, the response time as its figure. */
export const httpKind: CheckKind = {
  name: 'http',
  label: 'HTTP',
  passed: 'answered',
  figure: 'response time',
  layer: 'application',
  usesPort: false,
  options: (t) => (t.httpCheck ? { http: t.httpCheck } : {}),
  run: async (t) => {
    const { runHttpCheck } = await import('./check.js');
    return runHttpCheck(t.http!, { timeoutMs: t.timeoutMs, family: t.family, slowAfterMs: t.slowAfterMs });
  },
  // The URL as `config show` prints it: no query (it may carry a key), ${env:} as written.
  describe: (t) => (t.http ? `${t.http.method ?? 'GET'} ${urlForDisplay(t.http.url)}` : `http ${t.host}`),
  pluginWhere: (t) => `for ${sanitize(httpKind.describe(t), 200)}`,
  timing: (r) => {
    const p = r.phases;
    if (!p) return `total ${ms(r.totalMs)}`;
    return `dns ${ms(p.dnsMs)} · connect ${ms(p.connectMs)}${p.tlsMs !== null ? ` · tls ${ms(p.tlsMs)}` : ''} · first byte ${ms(p.firstByteMs)} · response ${ms(r.connectMs ?? p.totalMs)}`;
  },
  detailLines: (r) => {
    const h = asHttp(r);
    return h ? httpDetailLines(h) : [];
  },
  // The check's own evidence says it best ("no echo reply from ...", "... (NXDOMAIN)", "$.status is ...").
  failureText: (r) => r.detail,
  okNote: (r) => (r.api ? `HTTP ${r.api.status ?? '?'}, ${r.api.conditions} condition${r.api.conditions === 1 ? '' : 's'} held` : ''),
  toConfig: (t) => (t.http ? { http: t.http } : {}),
  formFields: [
    { key: 'url', label: 'url', hint: 'http:// or https:// URL to ask', type: 'text' },
    { key: 'expectJson', label: 'json', hint: 'conditions, comma-separated: $.status == "ok"', type: 'list' },
  ],
  series: [{ name: 'probe_http_status_code', help: 'Response HTTP status code (0 when no answer came); http targets only', value: (r) => (r.api ? (r.api.status ?? 0) : undefined) }],
};
