import { readFileSync } from 'node:fs';

/** Handshakes in flight when --concurrency is not given (see README, "Discover": how it was chosen). */
export const DEFAULT_CONCURRENCY = 1000;
/** File descriptors left for everything else the process holds (stdio, the event loop, a config file). */
const FD_RESERVE = 64;

/** The soft limit on open files this process runs under (Node raises it to the hard limit at start), if Linux says. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!m) return undefined;
    return m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * Each handshake in flight holds one file descriptor, so the default never asks for more than the
 * open-file limit allows; the kernel's other limits do not bind here (see the README).
 */
export function defaultConcurrency(limit: number | undefined): number {
  if (limit === undefined) return 256;
  return Math.max(16, Math.min(DEFAULT_CONCURRENCY, limit - FD_RESERVE));
}
