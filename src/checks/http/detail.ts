import { sanitize } from '../../text/sanitize.js';
import type { HttpCheckResult } from './types.js';

function ms(v: number | null | undefined): string | undefined {
  return v === null || v === undefined ? undefined : `${v < 10 ? v.toFixed(1) : v.toFixed(0)}ms`;
}

function bytes(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(n >= 10_240 ? 0 : 1)} KiB` : `${n} B`;
}

/**
 * The detail pane's lines for an API check: answer, timings, redirects, TLS, the failed condition and
 * an excerpt of the body. Pure; every string passes the sanitizer again (the result may come from an
 * agent over the network).
 */
export function httpDetailLines(r: HttpCheckResult): string[] {
  const a = r.api;
  const lines: string[] = [];
  const answer = a.status === null ? 'no answer' : `HTTP ${a.status}${a.statusText ? ` ${a.statusText}` : ''}`;
  const size = a.status === null ? '' : ` · ${bytes(a.bytes)}${a.truncated ? ' (cut at the cap)' : ''}${a.contentType ? ` · ${a.contentType}` : ''}`;
  lines.push(`${a.method} ${a.url} → ${answer}${size}`);
  const p = r.phases;
  if (p) {
    const parts = [
      ['dns', ms(p.dnsMs)],
      ['connect', ms(p.connectMs)],
      ['tls', ms(p.tlsMs)],
      ['first byte', ms(p.firstByteMs)],
      ['total', ms(p.totalMs)],
    ].filter((x): x is [string, string] => x[1] !== undefined);
    lines.push(`timings: ${parts.map(([k, v]) => `${k} ${v}`).join(' · ')}`);
  }
  if (a.redirects.length > 0) lines.push(`redirects: ${a.redirects.map((h) => `${h.status} → ${h.location}`).join(', ')}`);
  if (r.tls) lines.push(`TLS: ${[r.tls.protocol, r.tls.subject, Number.isFinite(r.tls.daysToExpiry) ? `certificate expires in ${r.tls.daysToExpiry} day(s)` : ''].filter(Boolean).join(' · ')}`);
  if (a.failed) lines.push(`failed: ${a.failed.condition} — ${a.failed.found}`);
  else if (r.outcome === 'open') lines.push(`${a.conditions} condition(s) held`);
  else if (r.detail) lines.push(`error: ${r.detail}`);
  if (a.slow) lines.push(`slow: ${a.slow.evidence}`);
  if (a.excerpt) lines.push(`answer: ${a.excerpt}`);
  return lines.map((l) => sanitize(l, 300));
}
