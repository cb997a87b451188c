import { z } from 'zod';
import { IANA_BOOTSTRAP_URL } from './defaults.js';
import { normalizeDomain } from './domain-name.js';

/** Config keys of a domain-expiry check (README "Domain expiry (RDAP)"). */

const httpUrl = (what: string) =>
  z.string({ error: `expected ${what}: an http:// or https:// URL` }).superRefine((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${what}: an http:// or https:// URL` });
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `expected ${what}: an http:// or https:// URL, not ${u.protocol}` });
    else if (u.username || u.password || u.search || u.hash) ctx.addIssue({ code: 'custom', message: `expected ${what} without user:password, query or fragment` });
  });

/** The name a domain target watches (the target's host): a registered name, not an address. */
export const domainNameSchema = z.string({ error: 'expected a registered domain name such as "example.com"' }).superRefine((s, ctx) => {
  if (!normalizeDomain(s)) ctx.addIssue({ code: 'custom', message: 'expected a registered domain name such as "example.com" (at least two labels of letters, digits and -)' });
});

/** The settings of a domain target; the name itself is the target's host. */
export const domainCheckShape = {
  domainWarnDays: z.number({ error: 'expected a number of days from 0 to 3650' }).int().min(0).max(3650).optional(),
  rdapServer: httpUrl('the base URL of an RDAP server (ending before "domain/")').optional(),
  bootstrapUrl: httpUrl(`the URL of an RDAP bootstrap file for DNS (IANA's: ${IANA_BOOTSTRAP_URL})`).optional(),
  tlsCa: z.string({ error: 'expected a path to a PEM file of trusted CAs' }).min(1).optional(),
};

type DomainKeys = { [K in keyof typeof domainCheckShape]?: z.output<(typeof domainCheckShape)[K]> };

export function refineDomainCheck(c: DomainKeys, ctx: z.RefinementCtx): void {
  if (c.rdapServer === undefined && c.bootstrapUrl === undefined) {
    ctx.addIssue({ code: 'custom', path: ['bootstrapUrl'], message: `expected "bootstrapUrl" (where to find each TLD's RDAP server; IANA's is ${IANA_BOOTSTRAP_URL}) or "rdapServer" (your registry's RDAP base URL): porthole asks no registry the config does not name` });
  }
  if (c.rdapServer !== undefined && c.bootstrapUrl !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['bootstrapUrl'], message: 'expected either "rdapServer" (ask that server) or "bootstrapUrl" (find the server there), not both' });
  }
}

export const domainCheckSchema = z.strictObject(domainCheckShape).superRefine(refineDomainCheck);

export type DomainCheckConfig = z.output<typeof domainCheckSchema>;
