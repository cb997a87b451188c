import type { ProbeResult } from '../probe/types.js';

/** The proof behind a failed check, in one line: errno first, then what the system said. */
export function failureEvidence(r: ProbeResult): string {
  const parts: string[] = [];
  if (r.errno) parts.push(r.errno);
  if (r.detail && r.detail !== r.errno) parts.push(r.detail);
  return parts.join(': ') || r.outcome;
}
