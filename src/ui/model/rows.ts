import { formatDuration } from '../../config/duration.js';
import { formatHostPort } from '../../config/target.js';
import type { Cause, TargetView } from '../../engine/types.js';
import type { ColumnKey, GridColumn } from './layout.js';
import { sparkline } from './sparkline.js';
import { formatMs } from './stats.js';
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

/** Why the target is not plainly UP: the cause first thing an on-call engineer needs. */
export function whyText(v: TargetView, width = 30): string {
  const m = v.monitor;
  switch (m.state) {
    case 'RETRYING': {
      const cause = causeText(m.pending?.cause ?? m.cause);
      const wide = `${retryCounter(v)} ${cause}`.trim();
      return Array.from(wide).length <= width ? wide : `${retryCounter(v, true)} ${cause}`.trim();
    }
    case 'DOWN': {
      const recovering = m.pending ? ` ${retryCounter(v, true)}` : '';
      return `${causeText(m.cause)}${recovering}`;
    }
    case 'SLOW': {
      const recovering = m.pending ? ` ${retryCounter(v, true)}` : '';
      return `slow >${formatMs(v.target.slowAfterMs)}ms${recovering}`;
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
export function formatRow(v: TargetView, cols: readonly GridColumn[], opts: { now: number; selected: boolean; uptime?: number }): Partial<RowCells> {
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
        s = safe(formatHostPort(t.host, t.port), w);
        break;
      case 'SVC':
        s = safe(t.service ?? '', w);
        break;
      case 'STATE':
        s = fit(stateLabel(v), w);
        break;
      case 'WHY':
        s = safe(whyText(v, w), w);
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
