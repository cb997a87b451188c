import { formatDuration } from '../../config/duration.js';
import type { Incident } from '../../engine/types.js';
import { dateTime } from './summary.js';
import { sanitize } from '../../text/sanitize.js';
import { clip, safe } from './text.js';

/** One incident log line: start, target, from→to, cause, duration or "ongoing", evidence. */
export function incidentLine(inc: Incident, name: string | undefined, now: number, width: number): string {
  const who = safe(name ?? inc.targetId, 18);
  const dur = inc.ended === null ? 'ongoing' : `${formatDuration(inc.durationMs ?? inc.ended - inc.started)}${inc.endedBy && inc.endedBy !== 'recovered' ? ` (${inc.endedBy})` : ''}`;
  const line = `${dateTime(inc.started, now).padEnd(11)} ${who} ${inc.from}→${inc.to} ${inc.cause.padEnd(7)} ${dur.padEnd(8)} ${sanitize(inc.evidence, 160)}`;
  return clip(line, width);
}

/** The window into a newest-first list that fits `lines` rows, starting at `offset`. */
export function incidentWindow<T>(items: readonly T[], offset: number, lines: number): { shown: readonly T[]; offset: number } {
  const max = Math.max(0, items.length - lines);
  const off = Math.max(0, Math.min(offset, max));
  return { shown: items.slice(off, off + lines), offset: off };
}
