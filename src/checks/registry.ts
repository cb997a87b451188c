import type { Target } from '../config/target.js';
import type { ProbeResult } from '../probe/types.js';
import type { CheckKind, KindName } from './kind.js';
import { dnsKind } from './dns/kind.js';
import { pingKind } from './ping/kind.js';
import { tcpKind } from './tcp/kind.js';
import { httpKind } from './http/kind.js';
import { domainKind } from './domain/kind.js';

/** Every check kind, one line each. Adding a kind: its folder, a line here and one in schemas.ts. */
export const KINDS: Readonly<Record<KindName, CheckKind>> = {
  tcp: tcpKind,
  ping: pingKind,
  dns: dnsKind,
  http: httpKind,
  domain: domainKind,
};

/** A target's kind; tcp for one without (a view from an older agent). */
export function kindOf(t: Pick<Target, 'kind'>): CheckKind {
  return (Object.hasOwn(KINDS, t.kind) ? KINDS[t.kind] : undefined) ?? tcpKind;
}

/** One check of a target, whatever its kind. */
export function runCheck(t: Target): Promise<ProbeResult> {
  return kindOf(t).run(t);
}

/** The endpoint in a few words: "db1:5432", "ping db1", "dns A example.test @127.0.0.1:5353". */
export function describeEndpoint(t: Target): string {
  return kindOf(t).describe(t);
}

/** What identifies what a target checks: a change of it starts the target's state afresh. */
export function endpointKey(t: Target): string {
  return `${kindOf(t).name} ${describeEndpoint(t)} ${t.family}`;
}
