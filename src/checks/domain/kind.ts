import type { ProbeResult } from '../../probe/types.js';
import type { CheckKind } from '../kind.js';
import { domainDetailLines } from './detail.js';
import type { DomainCheckResult } from './types.js';

const asDomain = (r: ProbeResult): DomainCheckResult | undefined => (r.domain ? (r as DomainCheckResult) : undefined);

/** Registration expiry through RDAP (src/checks/domain): the target's host is the registered name. */
export const domainKind: CheckKind = {
  name: 'domain',
  label: 'DOMAIN',
  passed: 'registered',
  figure: 'RDAP query',
  layer: 'registration',
  usesPort: false,
  // Twice a day; a registry over the internet may take seconds to answer, which is not "slow" here.
  defaults: { intervalMs: 12 * 3_600_000, timeoutMs: 15_000, slowAfterMs: 30_000 },
  options: (t) => ({ domain: t.domain ?? {} }),
  run: async (t) => {
    const { sharedDomainChecker } = await import('./shared.js');
    return sharedDomainChecker().check(t.host, t.domain ?? {}, { timeoutMs: t.timeoutMs, family: t.family });
  },
  describe: (t) => `domain ${t.host}`,
  pluginWhere: (t) => `for ${t.host}`,
  timing: (r) => `RDAP ${r.connectMs === null ? '—' : `${r.connectMs.toFixed(0)}ms`}${r.domain?.daysLeft !== undefined ? ` · ${r.domain.daysLeft} days left` : ''}`,
  detailLines: (r) => {
    const d = asDomain(r);
    return d ? domainDetailLines(d) : [];
  },
  // The check's own evidence says it best ("no echo reply from ...", "... (NXDOMAIN)", "$.status is ...").
  failureText: (r) => r.detail,
  okNote: (r) => (r.domain?.daysLeft !== undefined ? `registration expires in ${r.domain.daysLeft} days` : (r.domain?.verdict ?? '')),
  toConfig: (t) => (t.domain && Object.keys(t.domain).length ? { domain: t.domain } : {}),
  formFields: [
    { key: 'bootstrapUrl', label: 'bootstrap', hint: "RDAP bootstrap URL (IANA's: https://data.iana.org/rdap/dns.json)", type: 'text' },
    { key: 'rdapServer', label: 'rdap server', hint: 'or your registry’s RDAP base URL', type: 'text' },
    { key: 'domainWarnDays', label: 'warn days', hint: 'SLOW when it expires within (default 30)', type: 'number' },
  ],
  series: [
    {
      name: 'probe_domain_expiry_days',
      help: 'Whole days until the registration expires (negative once past); domain targets only',
      value: (r) => r.domain?.daysLeft,
    },
  ],
};
