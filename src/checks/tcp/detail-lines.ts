import { certExpiryWords } from '../../probe/cert-expiry.js';
import type { ProbeResult } from '../../probe/types.js';
import { sanitize } from '../../text/sanitize.js';
import { formatMs } from '../../text/ms.js';

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${formatMs(v)}ms`);

/** A handshake time to the microsecond when small: the kernel clock measures LAN and loopback handshakes that finely. */
function handshakeMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v < 1 ? `${v.toFixed(3)}ms` : v < 10 ? `${v.toFixed(2)}ms` : ms(v);
}

const CLOCK_NAME = { 'kernel-tcp_info': 'kernel', 'js-monotonic': 'js clock' } as const;

/** Every phase of the last check apart: DNS, connect (and the clock that timed it), TLS, first byte, total. */
export function phasesLine(r: ProbeResult): string {
  const p = r.phases;
  const dns = r.dnsMs === null ? 'dns — (IP literal)' : `dns ${ms(r.dnsMs)}`;
  const connectMs = p?.connectMs ?? r.connectMs;
  const clock = r.clock && connectMs !== null ? ` (${CLOCK_NAME[r.clock]})` : '';
  const parts = [dns, `connect ${handshakeMs(connectMs)}${clock}`];
  if (p?.tlsMs !== null && p?.tlsMs !== undefined) parts.push(`tls ${ms(p.tlsMs)}`);
  if (p?.firstByteMs !== null && p?.firstByteMs !== undefined) parts.push(`first byte ${ms(p.firstByteMs)}`);
  parts.push(`total ${ms(p?.totalMs ?? r.totalMs)}`);
  return parts.join(' · ');
}

/** What the layers above the handshake found: the service's answer, the certificate, the HTTP status. */
export function layerLines(r: ProbeResult): string[] {
  const out: string[] = [];
  if (r.banner) {
    const b = r.banner;
    const said = b.note ?? (b.text ? `"${b.text}"` : b.readTimedOut ? 'nothing (read timed out)' : 'nothing');
    out.push(`answer: ${sanitize(said, 120)}${b.matched ? '' : ` — expected ${sanitize(b.expected, 60)}`}${b.preset ? ` (${sanitize(b.preset, 20)} preset)` : ''}`);
  }
  if (r.tls) {
    const t = r.tls;
    const leafExpiry = t.daysToExpiry < 0 ? `expired ${-t.daysToExpiry} days ago` : `expires in ${t.daysToExpiry} days`;
    const expiry = t.earliest && t.earliest.role !== 'leaf' ? `${leafExpiry} · ${sanitize(certExpiryWords(t, false), 100)}` : leafExpiry;
    out.push(
      `tls: ${sanitize(t.protocol ?? '?', 12)} ${sanitize(t.cipher ?? '', 40)} · ${sanitize(t.subject, 60)} · issuer ${sanitize(t.issuer, 60)} · ${expiry}${t.authorized ? '' : ` · NOT TRUSTED: ${sanitize(t.authorizationError ?? 'unverified', 60)}`}`,
    );
  }
  if (r.http) out.push(`http: ${r.http.status}${r.http.matched ? '' : ' (unexpected)'} · first byte ${ms(r.http.ttfbMs)}`);
  return out;
}

/** One line per address of a name checked with addresses "all": "v6 ::1 refused (ECONNREFUSED)". */
export function addressLines(r: ProbeResult): string[] {
  if (!r.addresses || r.addresses.length === 0) return [];
  const failing = r.addresses.filter((a) => a.outcome !== 'open').length;
  return [
    `addresses: ${r.addresses.length - failing} of ${r.addresses.length} answering`,
    ...r.addresses.map((a) => {
      const how = a.outcome === 'open' ? `open · connect ${ms(a.connectMs)}${a.tlsMs !== null ? ` · tls ${ms(a.tlsMs)}` : ''}${a.firstByteMs !== null ? ` · first byte ${ms(a.firstByteMs)}` : ''}` : `${a.outcome}${a.errno ? ` (${sanitize(a.errno, 20)})` : ''}`;
      return `  v${a.family} ${sanitize(a.address, 45).padEnd(16)} ${how}`;
    }),
  ];
}
