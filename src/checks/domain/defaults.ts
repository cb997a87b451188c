/** Defaults of a domain-expiry check, shared by the schema and the client. */

/**
 * IANA's RDAP bootstrap registry for DNS (RFC 9224): which RDAP server answers for which TLD. Named in
 * messages and the README, never used unless written in the config: porthole asks no server on the
 * network that the config does not name.
 */
export const IANA_BOOTSTRAP_URL = 'https://data.iana.org/rdap/dns.json';
/** The bootstrap file is fetched again at most this often. */
export const BOOTSTRAP_MAX_AGE_MS = 24 * 3_600_000;
export const DEFAULT_DOMAIN_WARN_DAYS = 30;
/** Registration dates change rarely and registries rate-limit: twice a day. */
// The default interval (twice a day) is the kind's: src/checks/domain/kind.ts.
/** An RDAP answer larger than this is not read further (IANA's bootstrap file is about 40 KiB). */
export const MAX_RDAP_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 3;
