import { Counter, Gauge, type Registry } from 'prom-client';
import { labelValue } from './labels.js';
import type { MetricsOptions } from './source.js';

/**
 * The agent's own health: alert channels and the history writer, read at scrape time from the
 * callbacks given. Channels are labelled by name and type only; a destination (a URL or address
 * that may hold a token) never becomes a label.
 */
export function registerService(registry: Registry, options: MetricsOptions, location: string): void {
  const registers = [registry];
  const { alerts, outbox, history } = options;
  if (alerts) {
    new Gauge({
      name: 'porthole_alerts_pending',
      help: 'Alerts waiting to be delivered through the channel, retries included',
      labelNames: ['channel', 'type', 'location'],
      registers,
      collect() {
        this.reset();
        for (const c of alerts()) this.set({ channel: labelValue(c.name), type: c.type, location }, c.pending);
      },
    });
    new Gauge({
      name: 'porthole_alert_channel_failing',
      help: "1 when the channel's last delivery attempt failed, else 0",
      labelNames: ['channel', 'type', 'location'],
      registers,
      collect() {
        this.reset();
        for (const c of alerts()) this.set({ channel: labelValue(c.name), type: c.type, location }, c.status === 'failing' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'porthole_alert_last_success_timestamp_seconds',
      help: 'When the channel last delivered an alert (unix seconds); absent before the first',
      labelNames: ['channel', 'type', 'location'],
      registers,
      collect() {
        this.reset();
        for (const c of alerts()) if (c.lastSuccessAt !== undefined) this.set({ channel: labelValue(c.name), type: c.type, location }, c.lastSuccessAt / 1000);
      },
    });
  }
  if (outbox) {
    new Gauge({
      name: 'porthole_alerts_failed',
      help: 'Alerts given up on (never delivered) per channel, as kept in the outbox',
      labelNames: ['channel', 'location'],
      registers,
      collect() {
        this.reset();
        for (const c of outbox()) this.set({ channel: labelValue(c.channel), location }, c.failed);
      },
    });
    if (!alerts) {
      new Gauge({
        name: 'porthole_alerts_pending',
        help: 'Alerts waiting to be delivered through the channel, retries included',
        labelNames: ['channel', 'location'],
        registers,
        collect() {
          this.reset();
          for (const c of outbox()) this.set({ channel: labelValue(c.channel), location }, c.pending);
        },
      });
    }
  }
  if (history) {
    new Gauge({
      name: 'porthole_history_queue_depth',
      help: 'Samples and incidents waiting to be written to the history database',
      labelNames: ['location'],
      registers,
      collect() {
        this.reset();
        const h = history();
        if (h) this.set({ location }, h.queued);
      },
    });
    // Totals kept by the history writer since start: a counter whose value is taken as given.
    new Counter({
      name: 'porthole_history_dropped_total',
      help: 'Samples or incidents the history writer dropped (queue full or database failing), by kind',
      labelNames: ['kind', 'location'],
      registers,
      collect() {
        this.reset();
        const h = history();
        if (!h) return;
        this.inc({ kind: 'sample', location }, h.droppedSamples);
        this.inc({ kind: 'incident', location }, h.droppedIncidents);
      },
    });
  }
}
