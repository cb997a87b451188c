import { kindOf } from '../checks/registry.js';
import { formatHostPort, type Target } from '../config/target.js';
import type { TargetView } from '../engine/types.js';
import { describeOutcome } from '../probe/classify.js';
import { sanitize } from '../text/sanitize.js';
import { EXIT, type NagiosStatus } from './exit-codes.js';

export interface Thresholds {
  warningS?: number;
  criticalS?: number;
}

export interface CheckOutcome {
  target: Target;
  status: NagiosStatus;
  line: string;
  view: TargetView;
}

function seconds(ms: number | null | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/**
 * One plugin line in the style of check_tcp, with perfdata on success. `named`: the target's name
 * follows the status (`TCP OK - redis: …`), for output of several targets or a config's.
 */
export function pluginLine(view: TargetView, th: Thresholds, named = false): { status: NagiosStatus; line: string } {
  const plain = plainLine(view, th);
  // A target named after its own address is already named by "on HOST port PORT".
  if (!named || view.target.name === formatHostPort(view.target.host, view.target.port) || view.target.name === kindOf(view.target).describe(view.target)) return plain;
  const at = plain.line.indexOf(' - ');
  return { status: plain.status, line: `${plain.line.slice(0, at + 3)}${sanitize(view.target.name, 80)}: ${plain.line.slice(at + 3)}` };
}

function plainLine(view: TargetView, th: Thresholds): { status: NagiosStatus; line: string } {
  const t = view.target;
  const r = view.lastResult;
  const kind = kindOf(t);
  const L = kind.label;
  const where = kind.pluginWhere(t);
  if (!r) return { status: 'UNKNOWN', line: `${L} UNKNOWN - no result ${where}` };
  if (r.outcome === 'open') {
    const s = (r.connectMs ?? 0) / 1000;
    const warnS = th.warningS ?? t.slowAfterMs / 1000;
    const status: NagiosStatus = th.criticalS !== undefined && s > th.criticalS ? 'CRITICAL' : s > warnS ? 'WARNING' : 'OK';
    const perf = `time=${s.toFixed(6)}s;${th.warningS !== undefined ? th.warningS.toFixed(6) : ''};${th.criticalS !== undefined ? th.criticalS.toFixed(6) : ''};0.000000;${(t.timeoutMs / 1000).toFixed(6)}`;
    if (status === 'OK' && r.warning) {
      return { status: 'WARNING', line: `${L} WARNING - ${sanitize(r.warning.evidence)} ${where}|${perf}` };
    }
    const note = kind.okNote(r);
    return { status, line: `${L} ${status} - ${s.toFixed(3)} second response time ${where}${note ? ` [${note}]` : ''}|${perf}` };
  }
  const evidence = r.errno ? ` (${sanitize(r.errno)})` : '';
  const own = kind.failureText?.(r);
  if (own) {
    const status: NagiosStatus = r.outcome === 'mismatch' && r.severity === 'warning' ? 'WARNING' : 'CRITICAL';
    return { status, line: `${L} ${status} - ${sanitize(own, 300)}` };
  }
  switch (r.outcome) {
    case 'timeout':
      return { status: 'CRITICAL', line: `${L} CRITICAL - Connection timed out after ${seconds(t.timeoutMs)} seconds ${where}` };
    case 'dns':
      return { status: 'CRITICAL', line: `${L} CRITICAL - ${r.dns ? sanitize(r.detail ?? '') : `Invalid hostname, address or socket: ${sanitize(t.host)}${evidence}`}` };
    case 'mismatch': {
      const status: NagiosStatus = r.severity === 'warning' ? 'WARNING' : 'CRITICAL';
      const got = r.banner ? ` (got "${sanitize(r.banner.text, 60)}")` : '';
      return { status, line: `${L} ${status} - Unexpected response: ${sanitize(r.detail ?? '')}${got} ${where}` };
    }
    case 'tls':
      return { status: 'CRITICAL', line: `${L} CRITICAL - TLS failure: ${sanitize(r.detail ?? '')} ${where}` };
    default:
      return { status: 'CRITICAL', line: `${L} CRITICAL - ${describeOutcome(r.outcome)} ${where}${evidence}` };
  }
}

/** Times to the microsecond: the clock's figures carry float noise (7.7177409999999895). */
function roundTimes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(roundTimes) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'number' && /Ms$/.test(k) ? Math.round(v * 1000) / 1000 : roundTimes(v);
  return out as T;
}

export function toJson(o: CheckOutcome) {
  return roundTimes(jsonOf(o));
}

function jsonOf(o: CheckOutcome) {
  const r = o.view.lastResult;
  const m = o.view.monitor;
  return {
    name: o.target.name,
    host: o.target.host,
    ...(kindOf(o.target).usesPort ? { port: o.target.port } : {}),
    kind: o.target.kind,
    check: kindOf(o.target).describe(o.target),
    ...(o.target.service ? { service: o.target.service } : {}),
    status: o.status,
    exitCode: EXIT[o.status],
    state: m.state,
    outcome: r?.outcome ?? null,
    cause: m.cause ?? null,
    address: r?.address ?? null,
    family: r?.family ?? null,
    dnsMs: r?.dnsMs ?? null,
    connectMs: r?.connectMs ?? null,
    // Which clock timed connectMs (kernel-tcp_info or js-monotonic), and the local port to find it on the wire.
    clock: r?.clock ?? null,
    localPort: r?.localPort ?? null,
    totalMs: r?.totalMs ?? null,
    errno: r?.errno ?? null,
    detail: r?.detail ? sanitize(r.detail) : null,
    phases: r ? (r.phases ?? { dnsMs: r.dnsMs, connectMs: r.connectMs, tlsMs: null, firstByteMs: null, totalMs: r.totalMs }) : null,
    ...(r?.tls ? { tls: r.tls } : {}),
    ...(r?.banner ? { banner: r.banner } : {}),
    ...(r?.http ? { http: r.http } : {}),
    ...(r?.addresses ? { addresses: r.addresses } : {}),
    ...(r?.warning ? { warning: { cause: r.warning.cause, evidence: sanitize(r.warning.evidence) } } : {}),
    ...(r?.severity ? { severity: r.severity } : {}),
    ...(r?.ping ? { ping: r.ping } : {}),
    ...(r?.dns ? { dns: r.dns } : {}),
    attempts: o.view.checks,
    checkedAt: r ? new Date(r.startedAt).toISOString() : null,
  };
}
