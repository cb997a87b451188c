import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BoundedQueue } from './buffer.js';
import { resultSubject } from './names.js';
import { messageId, type ResultMessage } from './result-message.js';

export interface PublisherStats {
  published: number;
  /** Publishes JetStream had already (a resend after a lost ack): stored once. */
  duplicates: number;
  /** Results dropped from a full buffer while NATS was away. */
  dropped: number;
  buffered: number;
  connected: boolean;
}

/** Publishes in flight at once: enough to keep the link busy, few enough to resend cheaply. */
const WINDOW = 256;

/**
 * Sends queued results to the results stream in order, each with its publish id. While the link is
 * down, results wait in a bounded queue (the oldest dropped, counted); on reconnect they go in order.
 * A batch that fails part way is re-sent from its first failure (the ids keep what got through once).
 */
export class ResultPublisher {
  private readonly queue: BoundedQueue<ResultMessage>;
  private js: JetStreamClient | undefined;
  private connected = false;
  private wake: (() => void) | undefined;
  private closed = false;
  private pumping: Promise<void> | undefined;
  published = 0;
  duplicates = 0;

  constructor(capacity: number, private readonly publishTimeoutMs = 5000) {
    this.queue = new BoundedQueue(capacity);
  }

  enqueue(m: ResultMessage): void {
    this.queue.push(m);
    this.kick();
  }

  /** The link is up (again): the queue drains. */
  attach(nc: NatsConnection): void {
    this.js = jetstream(nc, { timeout: this.publishTimeoutMs });
    this.setConnected(true);
    this.pumping ??= this.pump();
  }

  setConnected(up: boolean): void {
    this.connected = up;
    if (up) this.kick();
  }

  stats(): PublisherStats {
    return { published: this.published, duplicates: this.duplicates, dropped: this.queue.dropped, buffered: this.queue.length, connected: this.connected };
  }

  /** Stops; waits up to `ms` for the queue to drain first. */
  async close(ms = 0): Promise<void> {
    const until = Date.now() + ms;
    while (ms > 0 && this.connected && this.queue.length > 0 && Date.now() < until) await sleep(20);
    this.closed = true;
    this.kick();
    await this.pumping;
  }

  private kick(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async pump(): Promise<void> {
    while (!this.closed) {
      const js = this.js;
      if (!js || !this.connected || this.queue.length === 0) {
        await this.idle(1000);
        continue;
      }
      const batch = this.queue.peek(WINDOW);
      const sent = await Promise.allSettled(batch.map((q) => js.publish(resultSubject(q.item.location, q.item.id), JSON.stringify(q.item), { msgID: messageId(q.item) })));
      let acked = 0;
      for (const s of sent) {
        if (s.status !== 'fulfilled') break;
        acked++;
        if (s.value.duplicate) this.duplicates++;
        else this.published++;
      }
      // Later ones that got through are counted when re-sent (as duplicates, stored once).
      const last = batch[acked - 1];
      if (last) this.queue.ackThrough(last.seq);
      if (acked < batch.length) await this.idle(500);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
