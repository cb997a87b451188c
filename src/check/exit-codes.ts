/** Nagios plugin exit codes. */
export const EXIT = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type NagiosStatus = keyof typeof EXIT;

/** Worst first, for combining several targets into one exit code. */
const SEVERITY: readonly NagiosStatus[] = ['OK', 'WARNING', 'UNKNOWN', 'CRITICAL'];

export function worst(statuses: readonly NagiosStatus[]): NagiosStatus {
  let w: NagiosStatus = 'OK';
  for (const s of statuses) if (SEVERITY.indexOf(s) > SEVERITY.indexOf(w)) w = s;
  return w;
}

/** Exit code for configs and arguments the program cannot go on with. */
export const EXIT_BAD_CONFIG = 2;
