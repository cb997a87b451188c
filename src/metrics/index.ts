import { Registry } from 'prom-client';
import { registerAgent } from './agent.js';
import { registerBlackbox } from './blackbox.js';
import { EventStats } from './events.js';
import { TargetFamily, type Emit, type PerView } from './family.js';
import { Frames } from './frame.js';
import { BlockPool, TextWriter, type WrittenText } from './text-writer.js';
import { LabelCache, labelValue } from './labels.js';
import { registerService } from './service.js';
import type { MetricsOptions } from './source.js';
import { registerState } from './state.js';

export type { WrittenText } from './text-writer.js';
export type { MetricsOptions, MetricsSource, OutboxCounts, HistoryCounts } from './source.js';
export { HANDSHAKE_BUCKETS } from './events.js';

export interface Metrics {
  /** A registry of its own (never prom-client's global one); other registries can be merged with it. */
  registry: Registry;
  /** The Content-Type header for render()'s text. */
  contentType: string;
  /** The exposition text (Prometheus text format 0.0.4). */
  render(): Promise<string>;
  /** The same as UTF-8 bytes in one buffer. */
  renderBuffer(): Promise<Buffer>;
  /** The same as UTF-8 bytes in pooled blocks, to send or compress and then release() (what writeMetrics uses). */
  renderChunks(): Promise<WrittenText>;
  /** Stops following the engine and empties the registry. */
  close(): void;
}

/**
 * Prometheus metrics for an engine: blackbox_exporter's probe_* series and porthole_* series, every
 * per-target one labelled target, host, port and location. Gauges are read from the engine's
 * snapshot at scrape; counters and the handshake histogram count engine events from creation on.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const location = labelValue(options.location ?? 'local');
  const registry = new Registry();
  const labels = new LabelCache(location);
  const frames = new Frames(() => options.source.snapshot(), labels);
  registerBlackbox(registry, frames);
  registerState(registry, frames);
  const events = new EventStats(registry, options.source, labels, options.handshakeHistogram ?? 'location');
  registerService(registry, options, location);
  registerAgent(registry, options, location);
  const unsubscribe = options.source.subscribe(events.onEvent);

  // Let checks that completed meanwhile be timed now, not after the whole scrape: a 5,000-target
  // scrape done in one go would add its length to their handshake times.
  const pool = new BlockPool();
  const yieldToChecks = () => new Promise((resolve) => setImmediate(resolve));

  const renderChunks = (): Promise<WrittenText> =>
    frames.during(async () => {
      const all = registry.getMetricsAsArray();
      // The per-target families from views: one pass over the targets, each family into its own writer.
      const perView = new Map<TargetFamily, TextWriter>();
      const passes: { each: PerView; emit: Emit }[] = [];
      for (const m of all) {
        if (!(m instanceof TargetFamily) || !m.perView) continue;
        const w = new TextWriter(pool);
        perView.set(m, w);
        passes.push({ each: m.perView, emit: m.emitTo(w) });
      }
      const { views, rows } = frames.current();
      for (let i = 0; i < views.length; i++) {
        const v = views[i]!;
        const row = rows[i]!;
        for (const p of passes) p.each(v, row, p.emit);
        if (i % 1000 === 999) await yieldToChecks();
      }
      const out = new TextWriter(pool);
      for (const m of all) {
        if (m instanceof TargetFamily) {
          const w = perView.get(m);
          if (w) {
            m.header(out);
            out.append(w);
          } else {
            m.write(out);
            await yieldToChecks();
          }
        } else out.text(`${await registry.getSingleMetricAsString(m.name)}\n`);
      }
      return out.finish();
    });
  const renderBuffer = async (): Promise<Buffer> => {
    const text = await renderChunks();
    try {
      return Buffer.concat(text.chunks, text.length);
    } finally {
      text.release();
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    render: async () => (await renderBuffer()).toString('utf8'),
    renderBuffer,
    renderChunks,
    close: () => {
      unsubscribe();
      registry.clear();
    },
  };
}
