import { Gauge, type MetricObjectWithValues, type MetricType, type MetricValueWithName, type Registry } from 'prom-client';
import { escapeHelp, formatValue, labelText } from './exposition.js';
import type { TargetView } from '../engine/types.js';
import type { Frames } from './frame.js';
import type { TargetLabels } from './labels.js';
import type { TextWriter } from './text-writer.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * A label set written on many lines at every scrape (a target's, or a histogram's) and its text,
 * escaped once. Only this text is kept per target; each family keeps its few line beginnings
 * (`name{` or `name_bucket{le="0.1"`), so a line is written as a few pieces and a value.
 */
export class Row<L extends Labels = Labels> {
  readonly text: string;

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

/** A family's samples of one target, from its view: called once per target per scrape. */
export type PerView = (view: TargetView, row: Row<TargetLabels>, emit: Emit) => void;

/**
 * Where a family's samples come from: every sample at once (from counts it keeps), or target by
 * target from the engine's views. The second kind is written in one pass over the targets for all
 * such families together: each view is read once per scrape, not once per family (at 5,000 targets,
 * walking the views is most of a scrape's time; bench/metrics).
 */
export type FamilySource = ((emit: Emit) => void) | { frames: Frames; each: PerView };

const NONE: Labels = Object.freeze({});
const ownText = new WeakMap<Labels, string>();

/** A family's own label object's text (state="UP", le="0.001"), escaped once per object. */
function cachedText(labels: Labels): string {
  let t = ownText.get(labels);
  if (t === undefined) ownText.set(labels, (t = labelText(labels)));
  return t;
}

/**
 * A per-target metric family written straight from porthole's own state at each scrape. It sits in
 * the prom-client registry (so `registry.metrics()`, JSON and merging with other registries work,
 * through get()), but createMetrics' render() takes its text from write(): prom-client re-formats
 * and re-escapes every label of every sample on each scrape, four to six times the CPU of this at
 * 1,000-5,000 targets (bench/metrics). Each target's labels are escaped once and cached (Row).
 */
export class TargetFamily extends Gauge<string> {
  constructor(
    registry: Registry,
    readonly spec: { name: string; help: string; type: FamilyType; labelNames: readonly string[] },
    source: FamilySource,
  ) {
    super({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] });
    if (typeof source === 'function') this.rows = source;
    else {
      const { frames, each } = source;
      this.perView = each;
      this.rows = (emit) => {
        const { views, rows } = frames.current();
        for (let i = 0; i < views.length; i++) each(views[i]!, rows[i]!, emit);
      };
    }
  }

  private readonly rows: (emit: Emit) => void;
  /** Set for a family written target by target (createMetrics' one pass). */
  readonly perView: PerView | undefined;

  /** Line beginnings by own labels (by their object) or suffix (by its text), each built once. */
  private readonly heads = new Map<Labels | string, string>();

  private head(own: Labels, suffix: string): string {
    const key = own === NONE ? suffix : own;
    let h = this.heads.get(key);
    if (h === undefined) {
      const o = own === NONE ? '' : cachedText(own);
      this.heads.set(key, (h = `${this.spec.name}${suffix}{${o}`));
    }
    return h;
  }

  /** HELP and TYPE. */
  header(w: TextWriter): void {
    const { name, help, type } = this.spec;
    w.text(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`);
  }

  /** Writes each sample emitted to `w` as a line. */
  emitTo(w: TextWriter): Emit {
    return (row, value, own = NONE, suffix = '') => w.sample(this.head(own, suffix), own !== NONE && row.text !== '', row.text, formatValue(value));
  }

  /** Writes the family's exposition text: HELP, TYPE and a line per sample. */
  write(w: TextWriter): void {
    this.header(w);
    this.rows(this.emitTo(w));
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    this.rows((row, value, own = NONE, suffix = '') => values.push({ labels: { ...own, ...row.labels }, value, ...(suffix ? { metricName: this.spec.name + suffix } : {}) }));
    // prom-client's typings declare MetricType as a numeric enum; at run time a metric's type is its name.
    return { name: this.spec.name, help: this.spec.help, type: this.spec.type as unknown as MetricType, aggregator: 'sum', values, collect: () => {} };
  }
}
