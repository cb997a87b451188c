import { parseArgs } from 'node:util';
import { ConfigError } from '../config/problems.js';
import { loadConfigFile } from '../config/load.js';
import { hostSchema } from '../config/schema.js';
import { parseDuration } from '../config/duration.js';
import { BUILTIN_DEFAULTS, formatHostPort, resolveTarget, type Target } from '../config/target.js';
import { Engine } from '../engine/engine.js';
import type { TargetView } from '../engine/types.js';
import { describeOutcome } from '../probe/classify.js';
import { sanitize } from '../text/sanitize.js';
import { parseEndpoint } from './endpoint.js';
import { EXIT, worst, type NagiosStatus } from './exit-codes.js';

export const CHECK_USAGE = `Usage: porthole check [options] HOST:PORT [HOST:PORT ...]
       porthole check [options] -H HOST -p PORT
       porthole check [options] --config FILE

Checks each target once (with retries) and exits with Nagios plugin codes:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; with several targets, the worst.

Options:
  -H, --hostname HOST     host to check (with -p), as check_tcp
  -p, --port PORT         port or service name (with -H)
  -w, --warning SECS      WARNING when the handshake takes longer (default: the target's slowAfter, 1s)
  -c, --critical SECS     CRITICAL when the handshake takes longer
  -t, --timeout SECS      give up on a handshake after this long (default 5)
      --retries N         extra attempts before a failure counts (default 1)
      --retry-delay DUR   wait between attempts (default 2s)
  -4, -6                  use IPv4 / IPv6 only
      --config FILE       check every unpaused target of a config file
      --json              print structured results instead of plugin lines
  -h, --help              this text`;

interface Thresholds {
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

/** One plugin line in the style of check_tcp, with perfdata on success. */
export function pluginLine(view: TargetView, th: Thresholds): { status: NagiosStatus; line: string } {
  const t = view.target;
  const r = view.lastResult;
  const where = `on ${sanitize(t.host)} port ${t.port}`;
  if (!r) return { status: 'UNKNOWN', line: `TCP UNKNOWN - no result ${where}` };
  if (r.outcome === 'open') {
    const s = (r.connectMs ?? 0) / 1000;
    const warnS = th.warningS ?? t.slowAfterMs / 1000;
    const status: NagiosStatus = th.criticalS !== undefined && s > th.criticalS ? 'CRITICAL' : s > warnS ? 'WARNING' : 'OK';
    const perf = `time=${s.toFixed(6)}s;${th.warningS !== undefined ? th.warningS.toFixed(6) : ''};${th.criticalS !== undefined ? th.criticalS.toFixed(6) : ''};0.000000;${(t.timeoutMs / 1000).toFixed(6)}`;
    if (status === 'OK' && r.warning) {
      return { status: 'WARNING', line: `TCP WARNING - ${sanitize(r.warning.evidence)} ${where}|${perf}` };
    }
    return { status, line: `TCP ${status} - ${s.toFixed(3)} second response time ${where}${layerNote(r)}|${perf}` };
  }
  const evidence = r.errno ? ` (${sanitize(r.errno)})` : '';
  switch (r.outcome) {
    case 'timeout':
      return { status: 'CRITICAL', line: `TCP CRITICAL - Connection timed out after ${seconds(t.timeoutMs)} seconds ${where}` };
    case 'dns':
      return { status: 'CRITICAL', line: `TCP CRITICAL - Invalid hostname, address or socket: ${sanitize(t.host)}${evidence}` };
    case 'mismatch': {
      const status: NagiosStatus = r.severity === 'warning' ? 'WARNING' : 'CRITICAL';
      const got = r.banner ? ` (got "${sanitize(r.banner.text, 60)}")` : '';
      return { status, line: `TCP ${status} - Unexpected response: ${sanitize(r.detail ?? '')}${got} ${where}` };
    }
    case 'tls':
      return { status: 'CRITICAL', line: `TCP CRITICAL - TLS failure: ${sanitize(r.detail ?? '')} ${where}` };
    default:
      return { status: 'CRITICAL', line: `TCP CRITICAL - ${describeOutcome(r.outcome)} ${where}${evidence}` };
  }
}

/** What the layers saw on success, in a few words: banner note, HTTP status, certificate days. */
function layerNote(r: NonNullable<TargetView['lastResult']>): string {
  const parts: string[] = [];
  if (r.banner) parts.push(sanitize(r.banner.note ?? r.banner.text, 60));
  if (r.http) parts.push(`HTTP ${r.http.status}`);
  if (r.tls) parts.push(`${sanitize(r.tls.protocol ?? 'TLS')}, certificate expires in ${r.tls.daysToExpiry} days`);
  if (r.addresses) parts.push(`${r.addresses.filter((a) => a.outcome === 'open').length}/${r.addresses.length} addresses`);
  return parts.length ? ` [${parts.join('; ')}]` : '';
}

/** Runs the engine until every target has a confirmed answer (its retries spent), then stops it. */
export async function checkTargets(targets: Target[]): Promise<TargetView[]> {
  const engine = new Engine({ targets, startSpreadMs: 0 });
  const settled = (v: TargetView) => v.monitor.confirmed !== 'UNKNOWN' && !v.monitor.pending;
  await new Promise<void>((resolve) => {
    const done = () => engine.snapshot().every((v) => v.target.paused || settled(v));
    const unsubscribe = engine.subscribe((e) => {
      if (e.type === 'result' && done()) {
        unsubscribe();
        resolve();
      }
    });
    engine.start();
    if (done()) resolve();
  });
  await engine.stop();
  return engine.snapshot().filter((v) => !v.target.paused);
}

function toJson(o: CheckOutcome) {
  const r = o.view.lastResult;
  const m = o.view.monitor;
  return {
    name: o.target.name,
    host: o.target.host,
    port: o.target.port,
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
    attempts: o.view.checks,
    checkedAt: r ? new Date(r.startedAt).toISOString() : null,
  };
}

class UsageError extends Error {}

function positiveSeconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} expects a number of seconds greater than 0, got "${v}"`);
  return n;
}

function buildTargets(values: Record<string, string | boolean | undefined>, positionals: string[]): Target[] {
  const overrides: Partial<Target> = {};
  const t = positiveSeconds('--timeout', values.timeout as string | undefined);
  if (t !== undefined) overrides.timeoutMs = Math.round(t * 1000);
  if (values.retries !== undefined) {
    const n = Number(values.retries);
    if (!Number.isInteger(n) || n < 0 || n > 10) throw new UsageError(`--retries expects a whole number from 0 to 10, got "${String(values.retries)}"`);
    overrides.retries = n;
  }
  if (values['retry-delay'] !== undefined) {
    const ms = parseDuration(values['retry-delay']);
    if (ms === undefined) throw new UsageError(`--retry-delay expects a duration such as "2s" or "500ms", got "${String(values['retry-delay'])}"`);
    overrides.retryDelayMs = ms;
  }
  if (values['4'] && values['6']) throw new UsageError('-4 and -6 cannot be used together');
  if (values['4']) overrides.family = 4;
  if (values['6']) overrides.family = 6;

  let targets: Target[];
  if (values.config) {
    if (positionals.length > 0 || values.hostname) throw new UsageError('give either --config or targets on the command line, not both');
    targets = loadConfigFile(values.config as string).targets.filter((x) => !x.paused);
    if (targets.length === 0) throw new UsageError(`${String(values.config)} has no unpaused targets to check`);
  } else {
    const specs = [...positionals];
    if (values.hostname !== undefined || values.port !== undefined) {
      if (values.hostname === undefined || values.port === undefined) throw new UsageError('-H and -p go together');
      const host = String(values.hostname);
      specs.push(host.includes(':') ? `[${host}]:${String(values.port)}` : `${host}:${String(values.port)}`);
    }
    if (specs.length === 0) throw new UsageError('no target given');
    targets = specs.map((spec, i) => {
      const ep = parseEndpoint(spec);
      if ('error' in ep) throw new UsageError(ep.error);
      const host = hostSchema.safeParse(ep.host);
      if (!host.success) throw new UsageError(`"${spec}": ${host.error.issues[0]?.message ?? 'invalid host'}`);
      const name = formatHostPort(host.data, ep.port);
      return resolveTarget({ host: host.data, port: ep.port, ...(ep.service ? { service: ep.service } : {}), name, id: `${i}:${name}` }, BUILTIN_DEFAULTS);
    });
  }
  return targets.map((x) => ({ ...x, ...overrides }));
}

export async function runCheck(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        hostname: { type: 'string', short: 'H' },
        port: { type: 'string', short: 'p' },
        warning: { type: 'string', short: 'w' },
        critical: { type: 'string', short: 'c' },
        timeout: { type: 'string', short: 't' },
        retries: { type: 'string' },
        'retry-delay': { type: 'string' },
        '4': { type: 'boolean', short: '4' },
        '6': { type: 'boolean', short: '6' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    out.write(`TCP UNKNOWN - ${(err as Error).message}\n${CHECK_USAGE}\n`);
    return EXIT.UNKNOWN;
  }
  if (values.help) {
    out.write(`${CHECK_USAGE}\n`);
    return EXIT.OK;
  }
  let targets: Target[];
  let th: Thresholds;
  try {
    th = {};
    const w = positiveSeconds('--warning', values.warning as string | undefined);
    const c = positiveSeconds('--critical', values.critical as string | undefined);
    if (w !== undefined) th.warningS = w;
    if (c !== undefined) th.criticalS = c;
    targets = buildTargets(values, positionals);
  } catch (err) {
    if (err instanceof ConfigError) {
      out.write(`TCP UNKNOWN - invalid config\n${err.report()}\n`);
      return EXIT.UNKNOWN;
    }
    if (err instanceof UsageError) {
      out.write(`TCP UNKNOWN - ${err.message}\n${CHECK_USAGE}\n`);
      return EXIT.UNKNOWN;
    }
    throw err;
  }
  const views = await checkTargets(targets);
  const outcomes: CheckOutcome[] = views.map((view) => ({ target: view.target, view, ...pluginLine(view, th) }));
  const status = worst(outcomes.map((o) => o.status));
  if (values.json) out.write(`${JSON.stringify({ status, exitCode: EXIT[status], results: outcomes.map(toJson) }, null, 2)}\n`);
  else for (const o of outcomes) out.write(`${o.line}\n`);
  return EXIT[status];
}
