import { domainToASCII } from 'node:url';

/** A registered name, as an ASCII (A-label) name in lower case, without a trailing dot. */
export function normalizeDomain(name: string): string | undefined {
  const ascii = domainToASCII(name.trim().replace(/\.$/, ''));
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.toLowerCase().split('.');
  if (labels.length < 2 || !labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return undefined;
  // No TLD is all digits: that is an IPv4 address.
  if (/^\d+$/.test(labels.at(-1)!)) return undefined;
  return labels.join('.');
}
