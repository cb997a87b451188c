import { sanitize } from '../../text/sanitize.js';
import { durationToConfig } from '../../config/duration.js';
import type { ProbeResult } from '../../probe/types.js';
import type { CheckKind } from '../kind.js';
import { PING_DEFAULTS, type PingInfo } from './types.js';

const ms = (v: number | null): string => (v === null ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));

function rttText(p: PingInfo): string {
  return `rtt min/median/max ${ms(p.minMs)}/${ms(p.medianMs)}/${ms(p.maxMs)}ms`;
}

function timing(r: ProbeResult): string {
  const p = r.ping;
  if (!p) return `total ${ms(r.totalMs)}ms`;
  return `${rttText(p)} · jitter ${ms(p.jitterMs)}ms · loss ${p.lossPct}% (${p.received}/${p.sent})`;
}

/** ICMP echo through fping (src/checks/ping/fping.ts batches many hosts per process). */
export const pingKind: CheckKind = {
  name: 'ping',
  label: 'PING',
  passed: 'echo replies',
  figure: 'median RTT',
  layer: 'network',
  usesPort: false,
  defaults: { timeoutMs: 1000, slowAfterMs: 500 },
  options: (t) => ({
    ping: {
      count: t.ping?.count ?? PING_DEFAULTS.count,
      periodMs: t.ping?.period ?? PING_DEFAULTS.periodMs,
      lossWarnPct: t.ping?.lossWarn ?? PING_DEFAULTS.lossWarnPct,
    },
  }),
  run: async (t) => (await import('./run.js')).runPing(t),
  describe: (t) => `ping ${t.host}`,
  timing,
  detailLines: (r) => {
    const p = r.ping;
    if (!p) return [];
    const echoes = p.rtts.map((v) => (v === null ? '-' : ms(v))).join(' ');
    return [`echoes: ${echoes}${p.unreachable ? ` · ${p.unreachable} ICMP unreachable` : ''}`];
  },
  pluginWhere: (t) => `to ${sanitize(t.host)}`,
  // The check's own evidence says it best ("no echo reply from ...", "... (NXDOMAIN)", "$.status is ...").
  failureText: (r) => r.detail,
  okNote: (r) => (r.ping ? `${r.ping.lossPct}% loss, ${rttText(r.ping)}` : ''),
  toConfig: (t) => {
    const o = t.ping;
    if (!o) return {};
    const block: Record<string, unknown> = {};
    if (o.count !== PING_DEFAULTS.count) block.count = o.count;
    if (o.periodMs !== PING_DEFAULTS.periodMs) block.period = durationToConfig(o.periodMs);
    if (o.lossWarnPct !== PING_DEFAULTS.lossWarnPct) block.lossWarn = o.lossWarnPct;
    return Object.keys(block).length ? { ping: block } : {};
  },
  sample: (r) => (r.ping ? { lowMs: r.ping.minMs, highMs: r.ping.maxMs, lossPct: r.ping.lossPct } : {}),
  formFields: [
    { key: 'count', label: 'echoes', hint: 'per round (default 5)', type: 'number' },
    { key: 'lossWarn', label: 'loss warn', hint: 'percent lost that is SLOW (default 20)', type: 'number' },
  ],
  series: [
    { name: 'probe_icmp_packet_loss_ratio', help: 'Share of the last round of ICMP echoes lost (0-1); ping targets only', value: (r) => (r.ping ? r.ping.lossPct / 100 : undefined) },
    { name: 'probe_icmp_rtt_jitter_seconds', help: 'Mean difference between consecutive echo round trips in the last round, in seconds; ping targets only', value: (r) => (r.ping?.jitterMs != null ? r.ping.jitterMs / 1000 : undefined) },
  ],
};
