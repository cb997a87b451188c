import type { ParsedTarget } from '../config/schema.js';
import type { Target } from '../config/target.js';
import type { ProbeResult } from '../probe/types.js';

/** Every check kind porthole knows; `"kind"` in the config (absent: tcp). */
export const KIND_NAMES = ['tcp', 'ping', 'dns', 'http', 'domain'] as const;
export type KindName = (typeof KIND_NAMES)[number];
/** A target that names no kind: what every config before kinds meant. */
export const DEFAULT_KIND = 'tcp' satisfies KindName;

/** A gauge a kind adds to /metrics from a target's last result (blackbox_exporter names where it has one). */
export interface KindSeries {
  name: string;
  help: string;
  value: (r: ProbeResult) => number | undefined;
}

/** The kinds' settings on a resolved target, each under the kind's name. */
export type KindOptions = Partial<Pick<Target, 'ping' | 'dns' | 'http' | 'domain'>>;

/** One of a kind's main options in the console's add/edit form: a key of its config block. */
export interface KindFormField {
  key: string;
  label: string;
  hint: string;
  /** How the typed text becomes the config value: as is, a number, or a comma-separated list. */
  type: 'text' | 'number' | 'list';
}

export type Layer = 'network' | 'transport' | 'application' | 'registration';

/** Settings a kind changes from the built-in defaults (a target's own value still wins). */
export interface KindDefaults {
  intervalMs?: number;
  timeoutMs?: number;
  slowAfterMs?: number;
}

/**
 * One kind of check, declared in one place (its folder). Light on purpose: no zod and no probe code
 * is loaded until `run` is first called, so `porthole check` starts as cheaply as before. The config
 * side (the zod block) lives beside it in the folder's schema.ts, collected in src/checks/schemas.ts.
 */
export interface CheckKind {
  name: KindName;
  /** What a Nagios plugin line starts with: "TCP", "PING", "DNS". */
  label: string;
  /** A passing check in a word or two, for the detail pane ("open", "echo replies"); "ok" when absent. */
  passed?: string;
  /** What the result's main time (connectMs: the sparkline, SLOW, the history's time column) measures. */
  figure: string;
  /**
   * Which layer of a host it tells about (the diagnosis narrows a fault down by layer): network (is
   * the host reachable: ping), transport (is the service accepting: tcp, dns), application (is the
   * answer right: API checks), registration (the domain: not about the host's health).
   */
  layer: Layer;
  /** Whether the target's port is part of what is checked (false: the port is ignored and not shown). */
  usesPort: boolean;
  /** The port a target of this kind gets when it names none (dns: 53). */
  defaultPort?: number;
  defaults?: KindDefaults;
  /** The kind's own settings from a parsed target (its block, defaults applied). */
  options?: (t: ParsedTarget) => KindOptions;
  /** One check of the target. Never throws: a failure is a result. */
  run: (t: Target) => Promise<ProbeResult>;
  /** The endpoint in a few words, for the grid and the check line: "db1:5432", "ping db1". */
  describe: (t: Target) => string;
  /** The last check's times in one line ("dns 1ms · connect 0.2ms · total 1.3ms"). */
  timing: (r: ProbeResult) => string;
  /** Where, in a plugin line: "on db1 port 5432", "to db1", "for A example.test @127.0.0.1:53". */
  pluginWhere: (t: Target) => string;
  /** A failed check's plugin text, when the kind words it itself (absent: check_tcp's phrases). */
  failureText?: (r: ProbeResult) => string | undefined;
  /** What the last result found beyond its times, for the detail pane (sanitized). */
  detailLines: (r: ProbeResult) => string[];
  /** A few words for a passing check's plugin line ("0% loss, rtt 0.1/0.2/0.3 ms"). */
  okNote: (r: ProbeResult) => string;
  /** The kind's own settings in config-file form, to merge into the written target. */
  toConfig: (t: Target) => Record<string, unknown>;
  /** What the history keeps beside the main time, for a kind that measures a round (ms, percent). */
  sample?: (r: ProbeResult) => { lowMs?: number | null; highMs?: number | null; lossPct?: number | null };
  /** The block's main options offered in the console's add/edit form. */
  formFields?: readonly KindFormField[];
  /** Extra /metrics series, if any. */
  series?: readonly KindSeries[];
}
