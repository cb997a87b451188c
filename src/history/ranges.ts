import { ceilTo, DAY_MS, floorTo, HOUR_MS } from './meta.js';
import type { AggregateTable } from './rollup.js';

export interface TableRange {
  table: AggregateTable;
  from: number;
  to: number;
}

const LEVELS: readonly { table: AggregateTable; unit: number }[] = [
  { table: 'agg_day', unit: DAY_MS },
  { table: 'agg_hour', unit: HOUR_MS },
  { table: 'agg_minute', unit: 0 },
];

/**
 * Covers [from, to) with the coarsest rows that exist: whole days from agg_day (up to the days
 * rolled), the ragged hours around them from agg_hour, and the ragged minutes from agg_minute.
 * `rolled` gives how far each coarse table is complete.
 */
export function planRanges(from: number, to: number, rolled: { hours: number; days: number }): TableRange[] {
  const out: TableRange[] = [];
  const cover = (level: number, a: number, b: number): void => {
    if (b <= a) return;
    const l = LEVELS[level]!;
    if (l.unit === 0) {
      out.push({ table: l.table, from: a, to: b });
      return;
    }
    const complete = l.table === 'agg_day' ? rolled.days : rolled.hours;
    const start = ceilTo(a, l.unit);
    const end = Math.min(floorTo(b, l.unit), floorTo(complete, l.unit));
    if (end <= start) {
      cover(level + 1, a, b);
      return;
    }
    cover(level + 1, a, start);
    out.push({ table: l.table, from: start, to: end });
    cover(level + 1, end, b);
  };
  cover(0, from, to);
  return out;
}
