import { isIP } from 'node:net';
import type { LookupAll, ProbeResult } from './types.js';

// node:dns/promises (and the resolver reading /etc/resolv.conf) loads at the first name to resolve:
// a one-shot check of an address starts without it.
const dns = () => import('node:dns/promises');

export interface Resolved {
  address: string;
  family: 4 | 6;
  /** null when the host was already an address. */
  dnsMs: number | null;
}

export class ResolveError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The host itself when it is an IP address (throws if it is of the other family), else undefined. */
export function literalAddress(host: string, family: 0 | 4 | 6): Resolved | undefined {
  const literal = isIP(host);
  if (literal === 0) return undefined;
  if (family !== 0 && family !== literal) {
    throw new ResolveError('EAI_ADDRFAMILY', `${host} is an IPv${literal} address but family ${family} was asked for`);
  }
  return { address: host, family: literal as 4 | 6, dnsMs: null };
}

/** True for `invalid` and every name under it (RFC 6761 §6.4: such names never resolve). */
export function isReservedInvalid(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'invalid' || name.endsWith('.invalid');
}

/**
 * A name that cannot exist fails at once, without asking a resolver (RFC 6761 §6.4: resolver APIs
 * and libraries should recognise .invalid names and return "no such name" without a query).
 */
function refuseInvalid(host: string): void {
  if (isReservedInvalid(host)) throw new ResolveError('ENOTFOUND', `cannot resolve ${host}: names under .invalid never resolve (RFC 6761)`);
}

/**
 * Runs one resolver call against the check's deadline and turns whatever goes wrong into a
 * ResolveError (a timeout reads as EAI_AGAIN, the resolver's own errno is kept).
 */
async function resolveWithin<T>(host: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ResolveError('EAI_AGAIN', `resolving ${host} took longer than ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (err) {
    if (err instanceof ResolveError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new ResolveError(e.code ?? 'ENOTFOUND', `cannot resolve ${host}: ${e.code ?? e.message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves a host to one address (the resolver's first, or the first of the family asked for). */
export async function resolveHost(host: string, family: 0 | 4 | 6, timeoutMs: number): Promise<Resolved> {
  const literal = literalAddress(host, family);
  if (literal) return literal;
  refuseInvalid(host);
  const t0 = performance.now();
  const r = await resolveWithin(host, timeoutMs, async () => (await dns()).lookup(host, { family, verbatim: true }));
  return { address: r.address, family: r.family as 4 | 6, dnsMs: performance.now() - t0 };
}

/** Every address of a name (A and AAAA, resolver order, no duplicates); a literal is its own list. */
export const lookupAllAddresses: LookupAll = async (host, family) => {
  refuseInvalid(host);
  const found = await (await dns()).lookup(host, { all: true, family, verbatim: true });
  return found.map((r) => ({ address: r.address, family: r.family as 4 | 6 }));
};

export interface ResolvedAll {
  addresses: { address: string; family: 4 | 6 }[];
  dnsMs: number | null;
}

/** Resolves a host to all its addresses within the timeout; throws ResolveError like resolveHost. */
export async function resolveAll(host: string, family: 0 | 4 | 6, timeoutMs: number, lookupAll: LookupAll = lookupAllAddresses): Promise<ResolvedAll> {
  const literal = literalAddress(host, family);
  if (literal) return { addresses: [{ address: literal.address, family: literal.family }], dnsMs: null };
  refuseInvalid(host);
  const t0 = performance.now();
  const found = await resolveWithin(host, timeoutMs, () => lookupAll(host, family));
  const seen = new Set<string>();
  const addresses = found.filter((a) => !seen.has(a.address) && seen.add(a.address));
  if (addresses.length === 0) throw new ResolveError('ENODATA', `${host} has no ${family ? `IPv${family} ` : ''}address`);
  return { addresses, dnsMs: performance.now() - t0 };
}

/**
 * What a check reports when its host did not resolve (or is a literal of the wrong family): `dns`, or
 * `error` for EAI_ADDRFAMILY. `what` names the name in the detail ("the server's name: ").
 */
export function notResolved(err: unknown, startedAt: number, t0: number, what = ''): ProbeResult {
  const code = err instanceof ResolveError ? err.code : 'ENOTFOUND';
  const ms = performance.now() - t0;
  return { outcome: code === 'EAI_ADDRFAMILY' ? 'error' : 'dns', startedAt, dnsMs: ms, connectMs: null, totalMs: ms, errno: code, detail: `${what}${(err as Error).message}` };
}
