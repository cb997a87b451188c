import type { ChainCert, TlsInfo } from './types.js';

/**
 * The certificate that lapses first among the leaf and the intermediates, as blackbox_exporter's
 * probe_ssl_earliest_cert_expiry reads the certificates the server presents. A self-signed root is
 * not counted: Node adds it from the local trust store whether or not the server sent it.
 */
export function earliestOf(chain: readonly ChainCert[]): ChainCert | undefined {
  let first: ChainCert | undefined;
  for (const c of chain) {
    if (c.role === 'root' || !Number.isFinite(Date.parse(c.validTo))) continue;
    if (!first || Date.parse(c.validTo) < Date.parse(first.validTo)) first = c;
  }
  return first ?? chain[0];
}

/** Days until the certificate that lapses first (the leaf's when the chain is unknown). */
export function earliestDays(tls: TlsInfo): number {
  return tls.earliest?.daysToExpiry ?? tls.daysToExpiry;
}

/** "CN=R3" out of "C=US, O=Let's Encrypt, CN=R3"; the whole name when it has no CN. */
function commonName(subject: string): string {
  const m = /(?:^|, )(CN=[^,]*)/.exec(subject);
  return m ? m[1]! : subject || '(no subject)';
}

function inDays(days: number): string {
  return days < 0 ? `expired ${-days}d ago` : `expires in ${days}d`;
}

/**
 * The expiry that matters, in words: "certificate CN=db1 expires in 3d", or, when an intermediate
 * lapses before the leaf, "intermediate CN=R3 expires in 3d (leaf in 80d)" (without the leaf part
 * where the leaf's date is already shown).
 */
export function certExpiryWords(tls: TlsInfo, withLeaf = true): string {
  const e = tls.earliest;
  if (!e || e.role === 'leaf') return `certificate ${commonName(tls.subject)} ${inDays(tls.daysToExpiry)}`;
  const leaf = withLeaf ? ` (leaf ${tls.daysToExpiry < 0 ? `expired ${-tls.daysToExpiry}d ago` : `in ${tls.daysToExpiry}d`})` : '';
  return `${e.role} ${commonName(e.subject)} ${inDays(e.daysToExpiry)}${leaf}`;
}

/** The same in a grid cell's few words: "cert expires in 3d", "intermediate expires in 3d". */
export function certExpiryShort(tls: TlsInfo): string {
  const e = tls.earliest;
  return `${e && e.role !== 'leaf' ? e.role : 'cert'} ${inDays(earliestDays(tls))}`;
}
