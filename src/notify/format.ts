import { formatDuration } from '../config/duration.js';
import { formatHostPort } from '../config/target.js';
import { sanitize } from '../text/sanitize.js';
import type { AlertItem, AlertMessage } from './types.js';

/** Fields from configs and the network are cleaned: the receiver may be a terminal too. */
const clean = (s: string | undefined, max = 200) => sanitize(s ?? '', max);

function hostPort(i: AlertItem): string {
  return i.check ? clean(i.check) : formatHostPort(clean(i.host), i.port);
}

function label(i: AlertItem): string {
  const hp = hostPort(i);
  const name = clean(i.name);
  const service = i.service ? ` ${clean(i.service, 40)}` : '';
  return name === hp || name === `${i.service}@${i.host}` ? `${hp}${service}` : `${name} (${hp}${service})`;
}

function duration(i: AlertItem): string {
  return i.durationMs === undefined ? '?' : formatDuration(i.durationMs);
}

function hostsOf(items: readonly AlertItem[]): string {
  return [...new Set(items.map((i) => clean(i.host)))].join(', ');
}

/** The one line that says it all: subject of a mail, first line of a chat message. */
export function summaryLine(m: AlertMessage): string {
  const items = m.items;
  const first = items[0];
  if (!first) return 'porthole alert';
  const n = items.length;
  // The verdict the last alert raised saw (the most of the picture); an earlier one may be stale.
  const verdict = items.reduce((a, b) => (b.at >= a.at ? b : a)).diagnosis;
  const why = verdict ? ` — ${clean(verdict, 120)}` : '';
  // "ports" while every item is a port; a group with a ping, a DNS query or an API check counts checks.
  const what = items.every((i) => i.check === undefined) ? 'ports' : 'checks';
  const ports = (f: (i: AlertItem) => string) => items.map((i) => `${i.check ? clean(i.check, 60) : i.port} ${f(i)}`).join(', ');
  switch (m.kind) {
    case 'down':
      return n === 1 ? `DOWN ${label(first)}: ${clean(first.cause, 40)}${why}` : `${n} ${what} on ${hostsOf(items)} down${why}: ${ports((i) => clean(i.cause, 40))}`;
    case 'recovery':
      return n === 1
        ? `RECOVERED ${label(first)} after ${duration(first)} ${first.from === 'SLOW' ? 'slow' : 'down'}`
        : `${n} ${what} on ${hostsOf(items)} recovered: ${ports((i) => `after ${duration(i)}`)}`;
    case 'reminder':
      return n === 1 ? `STILL DOWN ${label(first)} for ${duration(first)}: ${clean(first.cause, 40)}` : `${n} ${what} on ${hostsOf(items)} still down: ${ports((i) => `${clean(i.cause, 40)} for ${duration(i)}`)}`;
    case 'slow':
      return n === 1 ? `SLOW ${label(first)}: ${clean(first.evidence, 80)}` : `${n} ${what} on ${hostsOf(items)} slow: ${ports((i) => clean(i.evidence, 40))}`;
    case 'trend':
      return n === 1 ? `TREND ${label(first)}: ${clean(first.evidence, 80)}` : `${n} ${what} on ${hostsOf(items)} trending slower`;
    case 'test':
      return `TEST alert from porthole — no action needed`;
  }
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function itemLines(i: AlertItem): string[] {
  const lines = [`${label(i)}: ${clean(i.from, 12)} → ${clean(i.to, 12)}`];
  if (i.kind !== 'recovery' && i.kind !== 'test') lines.push(`  cause: ${clean(i.cause, 40)}${i.evidence ? ` (${clean(i.evidence)})` : ''}`);
  if (i.kind === 'recovery') lines.push(`  was: ${clean(i.cause, 40)}${i.evidence ? ` (${clean(i.evidence)})` : ''}`, `  outage: ${duration(i)} (since ${time(i.started)})`);
  else if (i.kind === 'reminder') lines.push(`  down for: ${duration(i)} (since ${time(i.started)})`);
  else if (i.kind !== 'test') lines.push(`  since: ${time(i.started)}`);
  return lines;
}

/** A plain-text body a person can read on a phone: summary, one block per target, then the facts. */
export function plainText(m: AlertMessage): string {
  const first = m.items[0];
  const lines = [summaryLine(m), ''];
  for (const i of m.items) lines.push(...itemLines(i));
  lines.push('', `location: ${clean(first?.location ?? 'local', 60)}`, `time: ${time(first?.at ?? Date.now())}`, `alert id: ${m.id}`);
  if (m.kind === 'test') lines.push('', 'This is a test sent by `porthole notify test`.');
  return lines.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram's HTML parse mode: bold summary, the rest as plain text. */
export function telegramHtml(m: AlertMessage): string {
  const [head, ...rest] = plainText(m).split('\n');
  return [`<b>${escapeHtml(head ?? '')}</b>`, ...rest.map(escapeHtml)].join('\n');
}

/** porthole's webhook JSON: the lead target's fields at the top, every target under "targets". */
export function webhookJson(m: AlertMessage): Record<string, unknown> {
  const items = m.items.map((i) => ({
    alertId: i.alertId,
    target: i.name,
    targetId: i.targetId,
    host: i.host,
    port: i.port,
    ...(i.service ? { service: i.service } : {}),
    ...(i.check ? { check: i.check } : {}),
    ...(i.diagnosis ? { diagnosis: i.diagnosis } : {}),
    from: i.from,
    to: i.to,
    cause: i.cause,
    evidence: i.evidence,
    started: time(i.started),
    ...(i.durationMs !== undefined ? { durationMs: i.durationMs, duration: formatDuration(i.durationMs) } : {}),
    location: i.location,
    time: time(i.at),
  }));
  const lead = items[0];
  return {
    id: m.id,
    event: m.kind,
    test: m.kind === 'test',
    summary: summaryLine(m),
    ...lead,
    alertIds: m.items.map((i) => i.alertId),
    count: items.length,
    targets: items,
  };
}

/** Environment for the command channel: the lead target's facts, plus the whole message. */
export function commandEnv(m: AlertMessage): Record<string, string> {
  const lead = m.items[0];
  const env: Record<string, string> = {
    PORTHOLE_ALERT_ID: m.id,
    PORTHOLE_EVENT: m.kind,
    PORTHOLE_SUMMARY: summaryLine(m),
    PORTHOLE_COUNT: String(m.items.length),
  };
  if (lead) {
    Object.assign(env, {
      PORTHOLE_TARGET: lead.name,
      PORTHOLE_TARGET_ID: lead.targetId,
      PORTHOLE_HOST: lead.host,
      PORTHOLE_PORT: String(lead.port),
      PORTHOLE_FROM: lead.from,
      PORTHOLE_TO: lead.to,
      PORTHOLE_CAUSE: lead.cause,
      PORTHOLE_EVIDENCE: lead.evidence,
      PORTHOLE_LOCATION: lead.location,
      PORTHOLE_TIME: time(lead.at),
      ...(lead.durationMs !== undefined ? { PORTHOLE_DURATION_MS: String(lead.durationMs) } : {}),
    });
  }
  return env;
}
