import type { MaintenanceWindow } from '../config/notify-config.js';
import type { Target } from '../config/target.js';

function covers(w: MaintenanceWindow, target: Pick<Target, 'id' | 'name' | 'tags'>): boolean {
  return w.targets.includes(target.id) || w.targets.includes(target.name) || w.tags.some((t) => target.tags.includes(t));
}

function activeAt(w: MaintenanceWindow, now: number): boolean {
  if (w.kind === 'once') return now >= w.startMs && now < w.endMs;
  const d = new Date(now);
  const minute = d.getHours() * 60 + d.getMinutes();
  const today = d.getDay();
  if (w.fromMinute === w.toMinute) return w.days.includes(today); // "00:00"–"00:00": the whole day
  if (w.fromMinute < w.toMinute) return w.days.includes(today) && minute >= w.fromMinute && minute < w.toMinute;
  // Past midnight (22:00–06:00): the evening belongs to today's window, the early morning to yesterday's.
  if (minute >= w.fromMinute) return w.days.includes(today);
  return minute < w.toMinute && w.days.includes((today + 6) % 7);
}

/** The window that holds back this target's alerts now, if any. Pure: the console uses it to mark targets. */
export function activeMaintenance(windows: readonly MaintenanceWindow[], target: Pick<Target, 'id' | 'name' | 'tags'>, now: number): MaintenanceWindow | undefined {
  return windows.find((w) => covers(w, target) && activeAt(w, now));
}

export function inMaintenance(windows: readonly MaintenanceWindow[], target: Pick<Target, 'id' | 'name' | 'tags'>, now: number): boolean {
  return activeMaintenance(windows, target, now) !== undefined;
}
