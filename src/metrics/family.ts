import { Gauge, type MetricObjectWithValues, type MetricType, type MetricValueWithName, type Registry } from 'prom-client';
import { escapeHelp, formatValue, labelText } from './exposition.js';
import type { TextWriter } from './text-writer.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * A label set written on many lines at every scrape (a target's, or a histogram's): its text,
 * escaped once, and each family's line beginnings for it (`name{labels} `), built once and kept as
 * long as the row. A family finds its own by its slot: an array index, not a lookup per line.
 */
export class Row<L extends Labels = Labels> {
  readonly text: string;
  /** Per family slot: the beginning of the line without own labels or suffix. */
  readonly plain: (string | undefined)[] = [];
  /** Per family slot: the beginnings with own labels (by their object) or a suffix (by its text). */
  readonly keyed: (Map<Labels | string, string> | undefined)[] = [];

  constructor(readonly labels: L) {
    this.text = labelText(labels);
  }
}

/**
 * Adds one sample: `row` a target's row (one per target, reused across scrapes), `own` the
 * family's extra labels (also reused objects: state="UP", le="0.001"...), `suffix` the
 * _bucket/_sum/_count of a histogram.
 */
export type Emit = (row: Row, value: number, own?: Labels, suffix?: string) => void;

export type FamilyType = 'gauge' | 'counter' | 'histogram';

const NONE: Labels = Object.freeze({});
const ownText = new WeakMap<Labels, string>();

/** A family's own label object's text (state="UP", le="0.001"), escaped once per object. */
function cachedText(labels: Labels): string {
  let t = ownText.get(labels);
  if (t === undefined) ownText.set(labels, (t = labelText(labels)));
  return t;
}

/**
 * The same text as one flat string: a template literal is a tree of pieces (a V8 cons string) that
 * every scrape's join would walk again; reading a character flattens it once, in place.
 */
function flat(s: string): string {
  void s.charCodeAt(0);
  return s;
}

/** Slots are numbered per registry: the rows of one createMetrics serve only its families. */
const slotsOf = new WeakMap<Registry, number>();

/**
 * A per-target metric family written straight from porthole's own state at each scrape. It sits in
 * the prom-client registry (so `registry.metrics()`, JSON and merging with other registries work,
 * through get()), but createMetrics' render() takes its text from write(): prom-client re-formats
 * and re-escapes every label of every sample on each scrape, two to three times the CPU of this at
 * 1,000-5,000 targets (bench/metrics). Each target's labels are escaped once and cached (Row).
 */
export class TargetFamily extends Gauge<string> {
  constructor(
    registry: Registry,
    readonly spec: { name: string; help: string; type: FamilyType; labelNames: readonly string[] },
    private readonly rows: (emit: Emit) => void,
  ) {
    super({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] });
    this.slot = slotsOf.get(registry) ?? 0;
    slotsOf.set(registry, this.slot + 1);
  }

  private readonly slot: number;

  private prefix(row: Row, own: Labels, suffix: string): string {
    if (own === NONE && suffix === '') {
      return (row.plain[this.slot] ??= flat(`${this.spec.name}{${row.text}} `));
    }
    let byOwn = row.keyed[this.slot];
    if (!byOwn) row.keyed[this.slot] = byOwn = new Map();
    const key = own === NONE ? suffix : own;
    let p = byOwn.get(key);
    if (p === undefined) {
      const o = own === NONE ? '' : cachedText(own);
      byOwn.set(key, (p = flat(`${this.spec.name}${suffix}{${o ? (row.text ? `${o},${row.text}` : o) : row.text}} `)));
    }
    return p;
  }

  /** Writes the family's exposition text: HELP, TYPE and a line per sample. */
  write(w: TextWriter): void {
    const { name, help, type } = this.spec;
    w.text(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`);
    this.rows((row, value, own = NONE, suffix = '') => w.sample(this.prefix(row, own, suffix), formatValue(value)));
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    this.rows((row, value, own = NONE, suffix = '') => values.push({ labels: { ...own, ...row.labels }, value, ...(suffix ? { metricName: this.spec.name + suffix } : {}) }));
    // prom-client's typings declare MetricType as a numeric enum; at run time a metric's type is its name.
    return { name: this.spec.name, help: this.spec.help, type: this.spec.type as unknown as MetricType, aggregator: 'sum', values, collect: () => {} };
  }
}
