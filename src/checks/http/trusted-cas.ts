import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

const cache = new Map<string, string[]>();

/** The system's roots plus the PEM file's CAs (an internal CA), read once per path. Throws when unreadable. */
export function trustedCas(path: string): string[] {
  let cas = cache.get(path);
  if (!cas) {
    cas = [...rootCertificates, readFileSync(path, 'utf8')];
    cache.set(path, cas);
  }
  return cas;
}
