import { kindOf } from '../checks/registry.js';
import type { Layer } from '../checks/kind.js';
import type { Cause, TargetView } from '../engine/types.js';

/**
 * Which layer broke, per host: the targets of one host (ping, its ports, its API checks) combined
 * into one verdict with the evidence for it. Pure: views in, verdicts out; the rules are in order,
 * the first that fits a host speaks for it.
 */
export type Verdict = 'host-unreachable' | 'service-down' | 'application-error' | 'packet-loss' | 'host-slow';

export interface HostDiagnosis {
  host: string;
  verdict: Verdict;
  /** One line: "host unreachable (ping fails too)", "service down: postgres refused (host up)". */
  text: string;
  /** What proves it, one line per target that took part. */
  evidence: string[];
  /** The targets the verdict covers (an alert for the host speaks for all of them). */
  targetIds: string[];
}

interface Seen {
  id: string;
  name: string;
  layer: Layer;
  state: TargetView['monitor']['state'];
  cause?: Cause;
  evidence?: string;
  rising: boolean;
}

/** No answer at all: what a host that is down (or cut off) looks like from here. */
const SILENT: ReadonlySet<Cause> = new Set<Cause>(['timeout', 'unreachable']);

const down = (s: Seen) => s.state === 'DOWN';
const up = (s: Seen) => s.state === 'UP' || s.state === 'SLOW';
const line = (s: Seen) => `${s.name}: ${s.state}${s.cause ? ` ${s.cause}` : ''}${s.evidence ? ` — ${s.evidence}` : ''}`;
const names = (list: readonly Seen[]) => list.map((s) => `${s.name} ${s.cause ?? 'down'}`).join(', ');

type Rule = (host: string, all: readonly Seen[]) => Omit<HostDiagnosis, 'host'> | undefined;

/** The rules, in order. Each names its verdict, its one line and its evidence. */
export const RULES: readonly { verdict: Verdict; rule: Rule }[] = [
  {
    // Ping fails and every port of the host is silent: the host (or the way to it), not N services.
    verdict: 'host-unreachable',
    rule: (_host, all) => {
      const ping = all.filter((s) => s.layer === 'network');
      const rest = all.filter((s) => s.layer === 'transport' || s.layer === 'application');
      const restSilent = rest.length > 0 && rest.every((s) => down(s) && s.cause !== undefined && SILENT.has(s.cause));
      if (ping.length > 0 && ping.every(down) && (rest.length === 0 || restSilent)) {
        return { verdict: 'host-unreachable', text: rest.length ? 'host unreachable (ping fails too)' : 'host unreachable (ping fails)', evidence: [...ping, ...rest].map(line), targetIds: [...ping, ...rest].map((s) => s.id) };
      }
      if (ping.length === 0 && rest.length >= 2 && restSilent) {
        return { verdict: 'host-unreachable', text: `host unreachable? all ${rest.length} checks get no answer (no ping target to confirm)`, evidence: rest.map(line), targetIds: rest.map((s) => s.id) };
      }
      return undefined;
    },
  },
  {
    // Something on the host answers, some service does not: the service.
    verdict: 'service-down',
    rule: (_host, all) => {
      const failing = all.filter((s) => s.layer === 'transport' && down(s));
      const alive = all.filter((s) => s.layer !== 'registration' && up(s));
      if (failing.length === 0 || alive.length === 0) return undefined;
      const proof = alive.find((s) => s.layer === 'network') ?? alive[0]!;
      const how = proof.layer === 'network' ? 'host up' : `host up: ${proof.name} answers`;
      return { verdict: 'service-down', text: `service${failing.length > 1 ? 's' : ''} down: ${names(failing)} (${how})`, evidence: [...failing, proof].map(line), targetIds: failing.map((s) => s.id) };
    },
  },
  {
    // The service accepts, the application's answer is wrong (or missing).
    verdict: 'application-error',
    rule: (_host, all) => {
      const failing = all.filter((s) => s.layer === 'application' && (down(s) || (s.state === 'SLOW' && s.cause === 'mismatch')));
      if (failing.length === 0) return undefined;
      const transportUp = all.filter((s) => s.layer === 'transport' || s.layer === 'network').every(up);
      if (!transportUp) return undefined;
      const first = failing[0]!;
      const what = first.evidence ?? first.cause ?? 'failing';
      return { verdict: 'application-error', text: `application error: ${what}`, evidence: failing.map(line), targetIds: failing.map((s) => s.id) };
    },
  },
  {
    // Echoes lost on the way while the host answers: the network path, whatever the services say.
    verdict: 'packet-loss',
    rule: (_host, all) => {
      const lossy = all.filter((s) => s.layer === 'network' && s.cause === 'loss' && s.state === 'SLOW');
      if (lossy.length === 0) return undefined;
      const first = lossy[0]!;
      return { verdict: 'packet-loss', text: `packet loss on the way to the host: ${first.evidence ?? 'echoes lost'}`, evidence: all.filter((s) => s.layer !== 'registration').map(line), targetIds: lossy.map((s) => s.id) };
    },
  },
  {
    // Every check of the host slower than usual at once: the host or the network, not each service.
    verdict: 'host-slow',
    rule: (_host, all) => {
      const live = all.filter((s) => s.layer !== 'registration' && s.state !== 'PAUSED' && s.state !== 'UNKNOWN');
      const slow = live.filter((s) => (s.state === 'SLOW' && s.cause === 'slow') || (s.state === 'UP' && s.rising));
      if (live.length < 2 || slow.length !== live.length) return undefined;
      return { verdict: 'host-slow', text: `host slow: all ${live.length} checks slower than usual (load, network)`, evidence: slow.map(line), targetIds: slow.map((s) => s.id) };
    },
  },
];

function seen(v: TargetView): Seen {
  const m = v.monitor;
  return {
    id: v.target.id,
    name: v.target.name,
    layer: kindOf(v.target).layer,
    state: m.state,
    ...(m.cause ? { cause: m.cause } : {}),
    ...(m.evidence ? { evidence: m.evidence } : {}),
    rising: m.trend.rising,
  };
}

/** One verdict per host that has one (hosts where all is well, or nothing fits, have none). */
export function diagnose(views: readonly TargetView[]): HostDiagnosis[] {
  const byHost = new Map<string, Seen[]>();
  for (const v of views) {
    const host = v.target.host.toLowerCase();
    const list = byHost.get(host);
    if (list) list.push(seen(v));
    else byHost.set(host, [seen(v)]);
  }
  const out: HostDiagnosis[] = [];
  for (const [host, all] of byHost) {
    for (const { rule } of RULES) {
      const d = rule(host, all);
      if (d) {
        out.push({ host, ...d });
        break;
      }
    }
  }
  return out;
}

/** A few words for the grid's WHY column of each target a verdict covers (after the target's own cause). */
const SHORT: Readonly<Record<Verdict, string>> = {
  'host-unreachable': 'host unreachable',
  'service-down': 'host up',
  'application-error': 'app error',
  'packet-loss': 'packet loss',
  'host-slow': 'host slow',
};

/** Per target id: the host verdict that covers it, in a few words (the grid's WHY column). */
export function whyByTarget(diagnoses: readonly HostDiagnosis[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of diagnoses) for (const id of d.targetIds) out.set(id, SHORT[d.verdict]);
  return out;
}
