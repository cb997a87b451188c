import { parseCommand } from './command-spec.js';
import { quickParse } from './quick-args.js';
import { reportLocalPorts } from '../probe/handshake-clock.js';
import { CHECK } from './specs.js';
import { ConfigError } from '../config/problems.js';
import { parseDuration } from '../config/duration.js';
import type { Target } from '../config/target.js';
import { checkOnce } from '../runtime/one-shot.js';
import { pluginLine, toJson, type CheckOutcome, type Thresholds } from '../check/plugin-output.js';
import { EXIT, worst } from '../check/exit-codes.js';
import { targetsFromEndpoints } from './endpoint-targets.js';
import { sanitize } from '../text/sanitize.js';

class UsageError extends Error {}

function positiveSeconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} expects a number of seconds greater than 0, got "${v}"`);
  return n;
}

async function buildTargets(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<Target[]> {
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
    const { loadConfigFile } = await import('../config/load.js');
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
    const parsed = targetsFromEndpoints(specs);
    if ('error' in parsed) throw new UsageError(parsed.error);
    targets = parsed;
  }
  return targets.map((x) => ({ ...x, ...overrides }));
}

export async function runCheckCmd(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  // As a plugin: what went wrong is the first line of stdout, which the monitoring system shows.
  // One check reports its local port (it pairs the check with a capture) for one more syscall, unless
  // PORTHOLE_LOCAL_PORT says otherwise; an agent only when asked.
  reportLocalPorts((process.env.PORTHOLE_LOCAL_PORT ?? '1') === '1');
  const usage = (message: string) => out.write(`TCP UNKNOWN - ${message}\nTry "porthole check --help".\n`);
  // The usual command lines without util.parseArgs (quick-args.ts); anything else, and every mistake, through it.
  const parsed = quickParse(CHECK, argv) ?? parseCommand(CHECK, argv, { out, err: out }, usage);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values;
  const positionals = parsed.args;
  let targets: Target[];
  let th: Thresholds;
  try {
    th = {};
    const w = positiveSeconds('--warning', values.warning as string | undefined);
    const c = positiveSeconds('--critical', values.critical as string | undefined);
    if (w !== undefined) th.warningS = w;
    if (c !== undefined) th.criticalS = c;
    targets = await buildTargets(values, positionals);
  } catch (err) {
    if (err instanceof ConfigError) {
      out.write(`TCP UNKNOWN - invalid config\n${err.report()}\n`);
      return EXIT.UNKNOWN;
    }
    if (err instanceof UsageError) {
      usage(err.message);
      return EXIT.UNKNOWN;
    }
    throw err;
  }
  const views = await checkOnce(targets);
  const named = views.length > 1 || Boolean(values.config);
  const outcomes: CheckOutcome[] = views.map((view) => ({ target: view.target, view, ...pluginLine(view, th, named) }));
  const status = worst(outcomes.map((o) => o.status));
  if (values.json) {
    const { diagnose } = await import('../diagnosis/diagnose.js');
    const diagnosis = diagnose(views).map((d) => ({ ...d, host: sanitize(d.host), text: sanitize(d.text, 300), evidence: d.evidence.map((e) => sanitize(e, 300)) }));
    out.write(`${JSON.stringify({ status, exitCode: EXIT[status], results: outcomes.map(toJson), diagnosis }, null, 2)}\n`);
  }
  else for (const o of outcomes) out.write(`${o.line}\n`);
  return EXIT[status];
}
