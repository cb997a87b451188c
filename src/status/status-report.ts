import { describeEndpoint } from '../checks/registry.js';
import type { State, TargetView } from '../engine/types.js';
import { EXIT, worst, type NagiosStatus } from '../check/exit-codes.js';
import { sanitize } from '../text/sanitize.js';
import { diagnose } from '../diagnosis/diagnose.js';

/** How a state reads to another monitoring system. */
const STATUS_OF: Record<State, NagiosStatus | undefined> = {
  UP: 'OK',
  SLOW: 'WARNING',
  RETRYING: 'WARNING',
  DOWN: 'CRITICAL',
  UNKNOWN: 'UNKNOWN',
  PAUSED: undefined,
};

export interface StatusRow {
  name: string;
  host: string;
  port: number;
  kind: string;
  /** What is checked, in a few words: "db1:5432", "ping db1". */
  check: string;
  state: State;
  status: NagiosStatus | 'PAUSED';
  cause: string | null;
  evidence: string | null;
  connectMs: number | null;
  since: string;
  lastCheckAt: string | null;
}

export interface StatusReport {
  source: string;
  status: NagiosStatus;
  exitCode: number;
  targets: StatusRow[];
  /** Which layer broke, per host (src/diagnosis). */
  diagnosis: { host: string; verdict: string; text: string; evidence: string[] }[];
}

const round3 = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.round(ms * 1000) / 1000);

/** Every target's current state; the exit code is the worst of them (paused targets count for nothing). */
export function statusReport(views: readonly TargetView[], source: string): StatusReport {
  const targets = views.map((v): StatusRow => {
    const m = v.monitor;
    const r = v.lastResult;
    return {
      name: v.target.name,
      host: v.target.host,
      port: v.target.port,
      kind: v.target.kind ?? 'tcp',
      check: describeEndpoint(v.target),
      state: m.state,
      status: STATUS_OF[m.state] ?? 'PAUSED',
      cause: m.cause ?? null,
      evidence: m.evidence ?? null,
      connectMs: r && r.outcome === 'open' ? round3(r.connectMs) : null,
      since: new Date(m.since).toISOString(),
      lastCheckAt: v.lastCheckAt ? new Date(v.lastCheckAt).toISOString() : null,
    };
  });
  const status = worst(targets.flatMap((t) => (t.status === 'PAUSED' ? [] : [t.status])));
  const diagnosis = diagnose(views).map((d) => ({ host: sanitize(d.host, 260), verdict: d.verdict, text: sanitize(d.text, 300), evidence: d.evidence.map((e) => sanitize(e, 300)) }));
  return { source, status, exitCode: EXIT[status], targets, diagnosis };
}

/** One line per target, aligned: name, state, host:port, handshake ms or cause. */
export function statusText(report: StatusReport): string {
  const rows = report.targets.map((t) => [
    sanitize(t.name, 40),
    t.state,
    sanitize(t.check, 60),
    t.connectMs !== null ? `${t.connectMs.toFixed(1)}ms` : '',
    t.cause ? sanitize(t.evidence ? `${t.cause}: ${t.evidence}` : t.cause, 120) : '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c)).join('  ').trimEnd());
  const verdicts = (report.diagnosis ?? []).map((d) => `${sanitize(d.host, 60)}: ${sanitize(d.text, 160)}`);
  const tail = verdicts.length ? `diagnosis:\n${verdicts.map((v) => `  ${v}`).join('\n')}\n` : '';
  return `${report.status} - ${report.targets.length} target${report.targets.length === 1 ? '' : 's'} (${report.source})\n${lines.join('\n')}${lines.length ? '\n' : ''}${tail}`;
}
