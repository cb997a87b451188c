import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { sanitize } from '../text/sanitize.js';
import { earliestOf } from './cert-expiry.js';
import type { ChainCert, TlsInfo } from './types.js';

const DAY_MS = 86_400_000;
/** A chain longer than this is cut short (real ones have 2 to 4). */
const MAX_CHAIN = 10;

function distinguishedName(dn: object | undefined): string {
  if (!dn) return '';
  return sanitize(
    Object.entries(dn)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
      .join(', '),
  );
}

/** Days from now until a certificate date, rounded down (negative once it has passed). */
export function daysUntil(date: string, now = Date.now()): number {
  const at = Date.parse(date);
  return Number.isFinite(at) ? Math.floor((at - now) / DAY_MS) : Number.NaN;
}

/**
 * The chain leaf first, walking issuerCertificate until it repeats (a self-signed certificate is its
 * own issuer). Node appends the root from the local trust store when the server did not send it, so a
 * self-signed root is marked as such and left out of the earliest expiry (see cert-expiry.ts).
 */
function chainOf(leaf: DetailedPeerCertificate): ChainCert[] {
  const out: ChainCert[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = leaf; c && c.fingerprint256 && !seen.has(c.fingerprint256) && out.length < MAX_CHAIN; c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    const selfSigned = c.issuerCertificate === c || c.issuerCertificate?.fingerprint256 === c.fingerprint256;
    out.push({
      role: out.length === 0 ? 'leaf' : selfSigned ? 'root' : 'intermediate',
      subject: distinguishedName(c.subject),
      validTo: c.valid_to,
      daysToExpiry: daysUntil(c.valid_to),
    });
  }
  return out;
}

/** What the handshake negotiated and what the certificates say, shown as evidence. */
export function tlsInfoOf(s: TLSSocket, servername: string | undefined): TlsInfo {
  const cert = s.getPeerCertificate(true);
  const hasCert = cert && Object.keys(cert).length > 0;
  const authError = s.authorizationError ? String(s.authorizationError) : undefined;
  const chain = hasCert ? chainOf(cert) : [];
  const earliest = earliestOf(chain);
  return {
    protocol: s.getProtocol() ?? null,
    cipher: s.getCipher()?.name ?? null,
    subject: hasCert ? distinguishedName(cert.subject) : '',
    issuer: hasCert ? distinguishedName(cert.issuer) : '',
    validFrom: hasCert ? cert.valid_from : '',
    validTo: hasCert ? cert.valid_to : '',
    daysToExpiry: hasCert ? daysUntil(cert.valid_to) : Number.NaN,
    ...(earliest ? { earliest, chain } : {}),
    authorized: s.authorized,
    ...(authError ? { authorizationError: sanitize(authError) } : {}),
    ...(servername ? { servername } : {}),
  };
}
