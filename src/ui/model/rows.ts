import { formatDuration } from '../../config/duration.js';
import { formatHostPort, type Target } from '../../config/target.js';
import { describeEndpoint } from '../../checks/registry.js';
import type { Cause, TargetView } from '../../engine/types.js';
import { certExpiryShort } from '../../probe/cert-expiry.js';
import type { ColumnContent, ColumnKey, GridColumn } from './layout.js';
import { sanitize } from '../../text/sanitize.js';
import { sparkline } from './sparkline.js';
import { formatMs } from '../../text/ms.js';
import { STATE_SYMBOL } from './state-style.js';
import { fit, safe } from './text.js';

export const SELECTED_MARK = '›';

export function stateLabel(v: TargetView): string {
  return `${STATE_SYMBOL[v.monitor.state]} ${v.monitor.state}`;
}

function causeText(cause: Cause | undefined): string {
  return cause ?? '';
}

/** RETRYING: "2/3 → DOWN" (or compact "2/3→DOWN"), the confirmation the engine is counting towards. */
export function retryCounter(v: TargetView, compact = false): string {
  const p = v.monitor.pending;
  if (!p) return '';
  const arrow = compact ? '→' : ' → ';
  return `${p.count}/${v.target.retries + 1}${arrow}${p.to}`;
}

/**
 * With addresses "all", how the addresses of the name fare, when some fail: "v4 up / v6 refused" for
 * a dual-stack name, "1 of 4 refused" for a pool of backends. Each address has its own line in the
 * detail pane.
 */
export function addressSummary(v: TargetView): string | undefined {
  const all = v.lastResult?.addresses;
  if (!all || all.length < 2) return undefined;
  const failing = all.filter((a) => a.outcome !== 'open');
  if (failing.length === 0) return undefined;
  if (all.length === 2) return all.map((a) => `v${a.family} ${a.outcome === 'open' ? 'up' : a.outcome}`).join(' / ');
  return `${failing.length} of ${all.length} ${failing[0]!.outcome}`;
}

/** A SLOW-class warning that is not about handshake time: a certificate near expiry, some addresses failing, a wrong answer. */
function warningText(v: TargetView): string {
  const m = v.monitor;
  const r = v.lastResult;
  if (m.cause === 'cert') return r?.tls ? certExpiryShort(r.tls) : 'cert expiring';
  if (m.cause === 'partial') return `partial: ${addressSummary(v) ?? 'some addresses failing'}`;
  if (m.cause === 'mismatch') return 'mismatch (warning)';
  return `slow >${formatMs(v.target.slowAfterMs)}ms`;
}

/**
 * Why the target is not plainly UP: the cause first thing an on-call engineer needs. Inside a
 * maintenance window it says so first: the state is shown, but no alert goes out.
 */
export function whyText(v: TargetView, width = 30, maintenance?: string): string {
  const text = whyOnly(v, width);
  return maintenance ? `[maint] ${text}`.trim() : text;
}

function whyOnly(v: TargetView, width: number): string {
  const m = v.monitor;
  switch (m.state) {
    case 'RETRYING': {
      const cause = causeText(m.pending?.cause ?? m.cause);
      const wide = `${retryCounter(v)} ${cause}`.trim();
      return Array.from(wide).length <= width ? wide : `${retryCounter(v, true)} ${cause}`.trim();
    }
    case 'DOWN': {
      const recovering = m.pending ? ` ${retryCounter(v, true)}` : '';
      const addresses = addressSummary(v);
      return `${causeText(m.cause)}${addresses ? ` (${addresses})` : ''}${recovering}`;
    }
    case 'SLOW': {
      const recovering = m.pending ? ` ${retryCounter(v, true)}` : '';
      return `${warningText(v)}${recovering}`;
    }
    case 'UP':
      return m.trend.rising ? 'rising ↗' : '';
    case 'UNKNOWN':
      return v.lastResult ? '' : 'not checked yet';
    case 'PAUSED':
      return '';
  }
}

export function lastMsText(v: TargetView): string {
  const r = v.lastResult;
  if (!r || r.outcome !== 'open') return '—';
  return formatMs(r.connectMs);
}

export function uptimeText(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return '—';
  return pct >= 99.995 ? '100%' : `${pct.toFixed(pct >= 99 ? 2 : 1)}%`;
}

export type RowCells = Record<ColumnKey, string>;

/** One grid row as fixed-width strings. Every untrusted string goes through `safe` (the sanitizer). */
export function formatRow(v: TargetView, cols: readonly GridColumn[], opts: { now: number; selected: boolean; uptime?: number; maintenance?: string; diagnosis?: string }): Partial<RowCells> {
  const out: Partial<RowCells> = {};
  const t = v.target;
  for (const c of cols) {
    const w = c.width;
    let s: string;
    switch (c.key) {
      case 'NAME':
        s = `${opts.selected ? SELECTED_MARK : ' '} ${safe(t.name, w - 2)}`;
        break;
      case 'HOST:PORT':
        s = endpointCell(t, w);
        break;
      case 'SVC':
        s = safe(t.service ?? '', w);
        break;
      case 'STATE':
        s = fit(stateLabel(v), w);
        break;
      case 'WHY':
        // The target's own cause, then the host's verdict (src/diagnosis): which layer broke.
        s = safe(opts.diagnosis ? `${whyText(v, w, opts.maintenance)} · ${opts.diagnosis}` : whyText(v, w, opts.maintenance), w);
        break;
      case 'MS':
        s = fit(lastMsText(v), w, 'right');
        break;
      case 'TREND':
        s = sparkline(v.recent, w);
        break;
      case 'UP%':
        s = fit(uptimeText(opts.uptime), w, 'right');
        break;
      case 'SINCE':
        s = fit(formatDuration(Math.max(0, opts.now - v.monitor.since)), w, 'right');
        break;
    }
    out[c.key] = s;
  }
  return out;
}

/** Heading labels fitted to the column widths (ink-table prints the column keys as headings). */
export function headingLabel(key: ColumnKey): string {
  return key === 'NAME' ? '  NAME' : key;
}

/** What the target checks, in `width` columns: host:port (the port kept when cut), or "ping db1". */
export function endpointCell(t: Target, width: number): string {
  const d = describeEndpoint(t);
  return d === formatHostPort(t.host, t.port) ? hostPortCell(t.host, t.port, width) : safe(d, width);
}

/** host:port in `width` columns; when it must be cut, the host is cut and the port always shows. */
export function hostPortCell(host: string, port: number, width: number): string {
  const text = sanitize(formatHostPort(host, port), 400);
  const suffix = text.startsWith('[') ? `]:${port}` : `:${port}`;
  if (Array.from(text).length <= width || width < suffix.length + 2 || !text.endsWith(suffix)) return fit(text, width);
  return fit(text.slice(0, -suffix.length), width - suffix.length) + suffix;
}

const cellWidth = (text: string): number => Array.from(sanitize(text, 400)).length;

/**
 * The widest text of each content-sized column over `views` (the rows on screen), headings included:
 * what gridColumns shares the width by. A column whose cells are all empty is as wide as its heading.
 */
export function columnContent(views: readonly TargetView[], maintenance?: (target: Target) => string | undefined, diagnosis?: (targetId: string) => string | undefined): ColumnContent {
  const out = { NAME: headingLabel('NAME').length, 'HOST:PORT': 'HOST:PORT'.length, SVC: 'SVC'.length, STATE: 'STATE'.length, WHY: 'WHY'.length };
  for (const v of views) {
    const t = v.target;
    out.NAME = Math.max(out.NAME, cellWidth(t.name) + 2);
    out['HOST:PORT'] = Math.max(out['HOST:PORT'], cellWidth(describeEndpoint(t)));
    out.SVC = Math.max(out.SVC, cellWidth(t.service ?? ''));
    out.STATE = Math.max(out.STATE, Array.from(stateLabel(v)).length);
    const verdict = diagnosis?.(t.id);
    out.WHY = Math.max(out.WHY, cellWidth(whyText(v, 30, maintenance?.(t))) + (verdict ? cellWidth(verdict) + 3 : 0));
  }
  return out;
}
