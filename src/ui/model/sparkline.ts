import type { RecentSamples } from '../../engine/sample-ring.js';

const BARS = '▁▂▃▄▅▆▇█';
/** Shown for a failed check inside a sparkline. */
export const FAIL_MARK = '×';

/**
 * The last `width` samples as a one-line sparkline, scaled between the shown min and max. A failed
 * check (null) is drawn as ×; fewer samples than width are right-aligned (newest at the right).
 */
export function sparkline(samples: RecentSamples, width: number): string {
  if (width <= 0) return '';
  const shown = samples.slice(-width);
  const nums = shown.filter((v): v is number => v !== null);
  const min = nums.length ? Math.min(...nums) : 0;
  const max = nums.length ? Math.max(...nums) : 0;
  const span = max - min;
  let out = '';
  for (const v of shown) {
    if (v === null) out += FAIL_MARK;
    else if (span <= 0) out += BARS[1];
    else out += BARS[Math.min(BARS.length - 1, Math.floor(((v - min) / span) * (BARS.length - 1) + 0.5))];
  }
  return ' '.repeat(width - shown.length) + out;
}
