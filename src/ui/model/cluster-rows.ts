import { formatHostPort } from '../../config/target.js';
import type { ClusterState, LocationState, QuorumView } from '../../cluster/quorum.js';
import { locationCell } from '../../cluster/status-text.js';
import { sanitize } from '../../text/sanitize.js';

/** One screen line: its text (exactly `width` wide or less) and the state that colours it. */
export interface ClusterLine {
  text: string;
  tone?: ClusterState | 'header' | 'dim';
  /** The selected target's (first) line. */
  selected?: boolean;
}

const CELL = 14;

function fit(s: string, w: number): string {
  if (w <= 0) return '';
  return s.length > w ? `${s.slice(0, Math.max(0, w - 1))}…` : s.padEnd(w);
}

function cellFor(l: LocationState | undefined, now: number): string {
  return l ? locationCell(l, now) : '·';
}

/**
 * The cluster console's screen as lines, a pure function of the views, the locations, the size and
 * the time. Wide enough for a column per location (name, host:port, quorum, then one 14-wide column
 * each: 200×50 shows 9 locations beside full names), it draws a table; otherwise (80×24 with more
 * than 3 locations) each target takes two lines: name and quorum, then its locations one after
 * another. The view scrolls to keep the `selected` target (an index) on screen; rows past the screen
 * are counted in the last line, above which `note` (the answers to a recheck) is shown when given.
 */
export function clusterLines(views: readonly QuorumView[], locations: readonly string[], size: { columns: number; rows: number }, now: number, header: string, selected = 0, note?: string): ClusterLine[] {
  const width = size.columns;
  const counts = new Map<ClusterState, number>();
  for (const v of views) counts.set(v.state, (counts.get(v.state) ?? 0) + 1);
  const tally = (['UP', 'PARTIAL', 'DOWN', 'STALE', 'UNKNOWN'] as const).filter((s) => counts.get(s)).map((s) => `${s} ${counts.get(s)}`).join(' · ');
  const lines: ClusterLine[] = [
    { text: fit(`${sanitize(header, 1000)}  ${locations.length} location${locations.length === 1 ? '' : 's'}  ${tally || 'no results yet'}`, width), tone: 'header' },
  ];
  const quorumWidth = Math.max(8, ...views.map((v) => sanitize(v.label, 200).length)) + 1;
  const fixed = quorumWidth + locations.length * CELL;
  const columns = width - fixed >= 20;
  const body: ClusterLine[] = [];
  const chosen = Math.max(0, Math.min(selected, views.length - 1));
  if (columns) {
    const rest = width - fixed;
    const nameW = Math.max(10, Math.min(30, Math.floor(rest * 0.55)));
    const hostW = rest - nameW;
    lines.push({ text: fit(`${fit('TARGET', nameW)}${fit('HOST:PORT', hostW)}${fit('QUORUM', quorumWidth)}${locations.map((l) => fit(sanitize(l, 32), CELL)).join('')}`, width), tone: 'dim' });
    for (const v of views) {
      const by = new Map(v.locations.map((l) => [l.location, l]));
      const cells = locations.map((l) => fit(fit(cellFor(by.get(l), now), CELL - 1), CELL)).join('');
      // One space at least between columns, also when a name or an address is cut.
      const col = (text: string, w: number) => fit(fit(text, w - 1), w);
      body.push({ text: fit(`${col(sanitize(v.name, 80), nameW)}${col(sanitize(formatHostPort(v.host, v.port), 80), hostW)}${fit(sanitize(v.label, 200), quorumWidth)}${cells}`, width), tone: v.state, selected: body.length === chosen });
    }
  } else {
    lines.push({ text: fit('TARGET / QUORUM · locations below', width), tone: 'dim' });
    for (const v of views) {
      body.push({ text: fit(`${fit(sanitize(v.label, 200), quorumWidth)}${sanitize(v.name, 80)}  ${sanitize(formatHostPort(v.host, v.port), 80)}`, width), tone: v.state, selected: body.length / 2 === chosen });
      body.push({ text: fit(`  ${v.locations.map((l) => `${sanitize(l.location, 32)}: ${cellFor(l, now)}`).join(' · ')}`, width), tone: 'dim' });
    }
  }
  // Two lines a target in the narrow layout: the screen shows and scrolls whole targets.
  const per = columns ? 1 : 2;
  const room = Math.max(per, Math.floor((size.rows - lines.length - 1 - (note ? 1 : 0)) / per) * per);
  const start = Math.max(0, Math.min((chosen + 1) * per - room, Math.max(0, body.length - room)));
  const shown = body.slice(start, start + room);
  lines.push(...shown);
  const hidden = body.length - shown.length;
  if (note) lines.push({ text: fit(sanitize(note, 1000), width), tone: 'header' });
  lines.push({ text: fit(`${hidden > 0 ? `${hidden} more line${hidden === 1 ? '' : 's'} (j/k, arrows) · ` : ''}r recheck everywhere · a add · d delete · q quit · STALE: silent for 2 intervals, not counted`, width), tone: 'dim' });
  return lines;
}
