import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ParsedCluster } from './cluster-schema.js';
import type { Problem } from './problems.js';

/** Loaded only for a config with an `nkey` (every other command starts without it). */
type NKeys = { fromSeed(seed: Uint8Array): { getPublicKey(): string } };
const requireHere = createRequire(import.meta.url);

function readText(file: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/**
 * What would otherwise fail only at connect time, retried for ever: the `creds` and `tlsCa` files
 * (readable, of the right kind) and the `nkey` seed (a user seed that decodes). Paths are as the
 * agent opens them: relative to the directory it starts in. The seed is never quoted.
 */
export function clusterFileProblems(c: ParsedCluster): Problem[] {
  const problems: Problem[] = [];
  if (c.creds !== undefined) {
    const r = readText(c.creds);
    if ('error' in r) problems.push({ path: 'cluster.creds', message: r.error });
    else if (!/-----BEGIN NATS USER JWT-----/.test(r.text) || !/-----BEGIN USER NKEY SEED-----/.test(r.text)) {
      problems.push({ path: 'cluster.creds', message: `expected a NATS .creds file (a user JWT and its NKey seed) in ${c.creds}` });
    }
  }
  if (c.tlsCa !== undefined) {
    const r = readText(c.tlsCa);
    if ('error' in r) problems.push({ path: 'cluster.tlsCa', message: r.error });
    else if (!/-----BEGIN CERTIFICATE-----/.test(r.text)) problems.push({ path: 'cluster.tlsCa', message: `expected PEM certificates ("-----BEGIN CERTIFICATE-----") in ${c.tlsCa}` });
  }
  if (c.nkey !== undefined) {
    let ok = false;
    try {
      const nkeys = requireHere('@nats-io/nkeys') as NKeys;
      ok = nkeys.fromSeed(new TextEncoder().encode(c.nkey)).getPublicKey().startsWith('U');
    } catch {
      ok = false;
    }
    if (!ok) problems.push({ path: 'cluster.nkey', message: 'expected a user NKey seed ("SU…", 58 characters, as `nk -gen user` prints it)' });
  }
  return problems;
}
