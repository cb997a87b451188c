import { formatHostPort } from '../../config/target.js';
import { probeOptionsToConfig } from '../../config/probe-options.js';
import { certExpiryWords } from '../../probe/cert-expiry.js';
import { requestForTarget } from '../../probe/request.js';
import type { ProbeRequest, ProbeResult } from '../../probe/types.js';
import type { Target } from '../../config/target.js';
import { sanitize } from '../../text/sanitize.js';
import { addressLines, layerLines, phasesLine } from './detail-lines.js';
import type { CheckKind } from '../kind.js';

/** What the layers saw on success, in a few words: banner note, HTTP status, certificate days. */
function okNote(r: ProbeResult): string {
  const parts: string[] = [];
  if (r.banner) parts.push(sanitize(r.banner.note ?? r.banner.text, 60));
  if (r.http) parts.push(`HTTP ${r.http.status}`);
  if (r.tls) parts.push(`${sanitize(r.tls.protocol ?? 'TLS')}, ${r.tls.earliest && r.tls.earliest.role !== 'leaf' ? certExpiryWords(r.tls) : `certificate expires in ${r.tls.daysToExpiry} days`}`);
  if (r.addresses) parts.push(`${r.addresses.filter((a) => a.outcome === 'open').length}/${r.addresses.length} addresses`);
  return parts.join('; ');
}

// Loaded on the first check (a one-shot of another kind never loads the TCP layers); the request is
// worked out once per Target object (a target's object is replaced when it is edited).
let probe: ((req: ProbeRequest) => Promise<ProbeResult>) | undefined;
const requests = new WeakMap<Target, ProbeRequest>();

/** The TCP handshake and the layers above it (src/probe), as a kind. */
export const tcpKind: CheckKind = {
  name: 'tcp',
  label: 'TCP',
  passed: 'open',
  figure: 'handshake',
  layer: 'transport',
  usesPort: true,
  run: (t) => {
    let req = requests.get(t);
    if (!req) requests.set(t, (req = requestForTarget(t)));
    if (probe) return probe(req);
    const r = req;
    return import('../../probe/tcp.js').then((m) => (probe = m.probeTcp)(r));
  },
  describe: (t) => formatHostPort(t.host, t.port),
  timing: phasesLine,
  detailLines: (r) => [...layerLines(r), ...addressLines(r)],
  pluginWhere: (t) => `on ${sanitize(t.host)} port ${t.port}`,
  okNote,
  toConfig: (t) => probeOptionsToConfig(t.probe),
};
