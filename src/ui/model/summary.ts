import type { StateCounts, TargetView } from '../../engine/types.js';

export function countStates(views: readonly TargetView[]): StateCounts {
  const c: StateCounts = { UP: 0, SLOW: 0, RETRYING: 0, DOWN: 0, PAUSED: 0, UNKNOWN: 0 };
  for (const v of views) c[v.monitor.state]++;
  return c;
}

export function clockTime(at: number | undefined): string {
  if (at === undefined) return '--:--:--';
  const d = new Date(at);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** [start, end) of the local day `now` falls in; the last one is kept (every incident line of a frame asks). */
let today = { start: 0, end: 0 };
function localDay(now: number): { start: number; end: number } {
  if (now >= today.start && now < today.end) return today;
  const start = new Date(now).setHours(0, 0, 0, 0);
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  today = { start, end: next.getTime() };
  return today;
}

export function dateTime(at: number, now: number): string {
  const d = new Date(at);
  const day = localDay(now);
  if (at >= day.start && at < day.end) return clockTime(at);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
