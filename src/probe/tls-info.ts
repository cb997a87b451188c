import type { TLSSocket } from 'node:tls';
import { sanitize } from '../text/sanitize.js';
import type { TlsInfo } from './types.js';

const DAY_MS = 86_400_000;

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

/** What the handshake negotiated and what the leaf certificate says, shown as evidence. */
export function tlsInfoOf(s: TLSSocket, servername: string | undefined): TlsInfo {
  const cert = s.getPeerCertificate(false);
  const hasCert = cert && Object.keys(cert).length > 0;
  const authError = s.authorizationError ? String(s.authorizationError) : undefined;
  return {
    protocol: s.getProtocol() ?? null,
    cipher: s.getCipher()?.name ?? null,
    subject: hasCert ? distinguishedName(cert.subject) : '',
    issuer: hasCert ? distinguishedName(cert.issuer) : '',
    validFrom: hasCert ? cert.valid_from : '',
    validTo: hasCert ? cert.valid_to : '',
    daysToExpiry: hasCert ? daysUntil(cert.valid_to) : Number.NaN,
    authorized: s.authorized,
    ...(authError ? { authorizationError: sanitize(authError) } : {}),
    ...(servername ? { servername } : {}),
  };
}
