import { sanitize } from '../../text/sanitize.js';
import type { DomainCheckResult } from './types.js';

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

/** The detail pane's lines for a domain-expiry check. Pure; every string passes the sanitizer again. */
export function domainDetailLines(r: DomainCheckResult): string[] {
  const d = r.domain;
  const lines: string[] = [];
  if (d.daysLeft !== undefined) {
    const when = d.daysLeft < 0 ? `expired ${-d.daysLeft} day(s) ago` : `expires in ${d.daysLeft} day(s)`;
    lines.push(`${d.domain}: ${when} (${d.expires ?? '?'}; warn under ${d.warnDays} days)`);
  } else if (d.verdict === 'not-found') lines.push(`${d.domain}: the registry has no such domain`);
  else if (d.verdict === 'no-expiry') lines.push(`${d.domain}: the registry publishes no expiration date`);
  else lines.push(`${d.domain}: ${r.detail ?? r.outcome}`);
  if (d.registrar) lines.push(`registrar: ${d.registrar}`);
  if (d.nameservers.length > 0) lines.push(`nameservers: ${d.nameservers.join(', ')}`);
  if (d.status.length > 0) lines.push(`status: ${d.status.join(', ')}`);
  if (d.server) lines.push(`RDAP: ${d.server}`);
  if (d.retryAfter) lines.push(`rate-limited (HTTP 429): not asked again before ${isoMinute(d.retryAfter.untilMs)}${d.answeredAt ? `; answer from ${isoMinute(d.answeredAt)}` : ''}`);
  if (d.bootstrap?.stale) lines.push(`bootstrap file from ${isoMinute(d.bootstrap.fetchedAt)} (refresh failed: ${d.bootstrap.stale})`);
  return lines.map((l) => sanitize(l, 300));
}
