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

export function dateTime(at: number, now: number): string {
  const d = new Date(at);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  if (sameDay) return clockTime(at);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
