import { z } from 'zod';
import { parseDuration } from './duration.js';

export const DURATION_HINT = 'a duration such as "500ms", "10s", "2m" or a number of seconds';

function describe(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * A duration in the config ("10s", "500ms", "2m", or a bare number of seconds), checked against a
 * range and turned into milliseconds. With `zeroMeansOff`, 0 is accepted as "off" whatever the range.
 */
export function durationSchema(minMs: number, maxMs: number, options: { zeroMeansOff?: boolean } = {}) {
  const range = `${options.zeroMeansOff ? '0 (off) or ' : ''}a duration between ${describe(minMs)} and ${describe(maxMs)}`;
  return z
    .union([z.number(), z.string()], { error: `expected ${DURATION_HINT}` })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HINT}` });
        return z.NEVER;
      }
      if (options.zeroMeansOff && ms === 0) return 0;
      if (ms < minMs || ms > maxMs) {
        ctx.addIssue({ code: 'custom', message: `expected ${range}` });
        return z.NEVER;
      }
      return ms;
    });
}
