import { parseArgs } from 'node:util';
import { ConfigError } from '../config/problems.js';
import { loadConfigFile } from '../config/load.js';
import { hostSchema } from '../config/schema.js';
import { parseDuration } from '../config/duration.js';
import { BUILTIN_DEFAULTS, formatHostPort, resolveTarget, type Target } from '../config/target.js';
import { checkOnce } from '../runtime/one-shot.js';
import { pluginLine, toJson, type CheckOutcome, type Thresholds } from '../check/plugin-output.js';
import { EXIT, worst } from '../check/exit-codes.js';
import { parseEndpoint } from './endpoint.js';

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
  const views = await checkOnce(targets);
  const outcomes: CheckOutcome[] = views.map((view) => ({ target: view.target, view, ...pluginLine(view, th) }));
  const status = worst(outcomes.map((o) => o.status));
  if (values.json) out.write(`${JSON.stringify({ status, exitCode: EXIT[status], results: outcomes.map(toJson) }, null, 2)}\n`);
  else for (const o of outcomes) out.write(`${o.line}\n`);
  return EXIT[status];
}
