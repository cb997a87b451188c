import { Gauge, type MetricObjectWithValues, type MetricType, type MetricValueWithName, type Registry } from 'prom-client';
import { escapeHelp, formatValue, labelText } from './exposition.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * Adds one sample: `target` is a target's label object (one per target, reused across scrapes),
 * `own` the family's extra labels (also reused objects: state="UP", le="0.001"...), `suffix` the
 * _bucket/_sum/_count of a histogram.
 */
export type Emit = (target: Labels, value: number, own?: Labels, suffix?: string) => void;

export type FamilyType = 'gauge' | 'counter' | 'histogram';

const NONE: Labels = Object.freeze({});
const textOf = new WeakMap<Labels, string>();

/** A label object's exposition text, escaped once per object and cached. */
function cachedText(labels: Labels): string {
  let t = textOf.get(labels);
  if (t === undefined) textOf.set(labels, (t = labelText(labels)));
  return t;
}

/**
 * A per-target metric family written straight from porthole's own state at each scrape. It sits in
 * the prom-client registry (so `registry.metrics()`, JSON and merging with other registries work,
 * through get()), but createMetrics' render() takes its text from lines(): prom-client re-formats
 * and re-escapes every label of every sample on each scrape, two to three times the CPU of this at
 * 1,000-5,000 targets (bench/metrics). Each target's labels are escaped once and cached.
 */
export class TargetFamily extends Gauge<string> {
  constructor(
    registry: Registry,
    readonly spec: { name: string; help: string; type: FamilyType; labelNames: readonly string[] },
    private readonly rows: (emit: Emit) => void,
    /** Writes the samples itself, from text it keeps between scrapes (must say what rows() says). */
    private readonly cachedLines?: (out: string[], line: (target: Labels, value: number, own?: Labels, suffix?: string) => string) => void,
  ) {
    super({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] });
  }

  /** Appends the family's exposition lines (without newlines) to `out`: one join at the end is cheaper than growing a string. */
  lines(out: string[]): void {
    const { name, help, type } = this.spec;
    out.push(`# HELP ${name} ${escapeHelp(help)}`);
    out.push(`# TYPE ${name} ${type}`);
    const line = (target: Labels, value: number, own = NONE, suffix = ''): string => {
      const t = cachedText(target);
      const o = own === NONE ? '' : cachedText(own);
      return `${name}${suffix}{${o ? (t ? `${o},${t}` : o) : t}} ${formatValue(value)}`;
    };
    if (this.cachedLines) this.cachedLines(out, line);
    else this.rows((target, value, own, suffix) => out.push(line(target, value, own, suffix)));
  }

  text(): string {
    const out: string[] = [];
    this.lines(out);
    return `${out.join('\n')}\n`;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    this.rows((target, value, own = NONE, suffix = '') => values.push({ labels: { ...own, ...target }, value, ...(suffix ? { metricName: this.spec.name + suffix } : {}) }));
    // prom-client's typings declare MetricType as a numeric enum; at run time a metric's type is its name.
    return { name: this.spec.name, help: this.spec.help, type: this.spec.type as unknown as MetricType, aggregator: 'sum', values, collect: () => {} };
  }
}
