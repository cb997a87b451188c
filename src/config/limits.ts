/**
 * Limits a config file must stay within, enforced before it is parsed: a real config is a few KB and
 * six levels deep; these leave room for tens of thousands of targets, and keep a hostile or mistaken
 * file (a log, a disk image, JSON nested a million levels) from exhausting memory or the stack.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_DEPTH = 32;

export function describeBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
