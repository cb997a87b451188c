import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, MsgHdrsImpl, type NatsConnection, type PublishOptions } from '@nats-io/transport-node';
import { BoundedQueue } from './buffer.js';

export interface PublisherStats {
  /** Results the stream has confirmed. */
  published: number;
  /** Batches whose last result JetStream already had (a resend after a lost ack): stored once. */
  duplicates: number;
  /** Results dropped from a full buffer while NATS was away. */
  dropped: number;
  buffered: number;
  connected: boolean;
}

/** One result ready to go: encoded once, re-sent byte for byte (same publish id) until confirmed. */
export interface OutgoingResult {
  subject: string;
  msgId: string;
  payload: Uint8Array;
  /** Its Nats-Msg-Id header as framed on the wire (see PresetHeader); undefined: the client's headers make it. */
  header?: Uint8Array | undefined;
}

/**
 * Headers whose wire form was encoded with the result: the NATS client's publish takes a header's
 * bytes from encode() alone, so a result resent, or sent at all, costs no header object, no
 * set() with its checks and no string building and encoding each time. One instance serves every
 * publish (publish reads it synchronously). Only for nc.publish; the map stays empty.
 */
class PresetHeader extends MsgHdrsImpl {
  bytes: Uint8Array = new Uint8Array(0);
  override encode(): Uint8Array {
    return this.bytes;
  }
}

/** Results per batch at most: one acknowledged publish confirms them all. */
const WINDOW = 1000;
/** Results gather this long before a batch goes: the delay it adds (p50 ~25 ms), against a write and an ack per batch. */
const BATCH_MS = 50;
const MSG_ID = 'Nats-Msg-Id';

/**
 * Sends queued results to the results stream in order, each with its publish id (Nats-Msg-Id).
 *
 * A batch goes out as plain NATS publishes (the stream captures the subject) but for its last
 * result, which is a JetStream publish whose ack is awaited: the server hands one connection's
 * messages to the stream in order, so that ack says the stream has handled everything sent before it
 * on that connection. Only then is the batch confirmed. A JetStream ack per result (a request, an
 * inbox reply, a promise and a timer each) cost more CPU than the checking itself.
 *
 * A batch whose ack fails or times out, or during which the connection dropped (what was in the old
 * socket may be lost even if the ack came after the reconnect), is sent again whole, with the same
 * ids: the stream's duplicate window stores each result once. While the link is down, results wait
 * in a bounded queue (the oldest dropped, counted); on reconnect they go in order.
 */
export class ResultPublisher {
  private readonly queue: BoundedQueue<OutgoingResult>;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private connected = false;
  /** Bumped on every disconnect and reconnect: a batch that spans a change is not trusted. */
  private epoch = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private pumping: Promise<void> | undefined;
  published = 0;
  duplicates = 0;
  private readonly preset = new PresetHeader();
  private readonly presetOptions: Partial<PublishOptions> = { headers: this.preset };

  constructor(capacity: number, private readonly publishTimeoutMs = 5000) {
    this.queue = new BoundedQueue(capacity);
  }

  enqueue(m: OutgoingResult): void {
    this.queue.push(m);
    this.kick();
  }

  /** The link is up (again): the queue drains. */
  attach(nc: NatsConnection): void {
    if (this.nc !== nc) {
      this.nc = nc;
      this.js = jetstream(nc, { timeout: this.publishTimeoutMs });
      void this.watch(nc);
    }
    this.setConnected(true);
    this.pumping ??= this.pump();
  }

  setConnected(up: boolean): void {
    if (!up) this.epoch++;
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

  /** Its own view of the connection's changes, seen as they happen (the agent's log loop may be busy). */
  private async watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) if (s.type === 'disconnect' || s.type === 'reconnect') this.epoch++;
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
      const { nc, js } = this;
      if (!nc || !js || !this.connected || this.queue.length === 0) {
        await this.idle(1000);
        continue;
      }
      const batch = this.queue.peek(WINDOW);
      const last = batch[batch.length - 1];
      if (!last) continue;
      const epoch = this.epoch;
      try {
        for (let i = 0; i < batch.length - 1; i++) {
          const r = (batch[i] as { item: OutgoingResult }).item;
          if (r.header) {
            this.preset.bytes = r.header;
            nc.publish(r.subject, r.payload, this.presetOptions);
          } else {
            const h = headers();
            h.set(MSG_ID, r.msgId);
            nc.publish(r.subject, r.payload, { headers: h });
          }
        }
        const ack = await js.publish(last.item.subject, last.item.payload, { msgID: last.item.msgId });
        if (epoch !== this.epoch) throw new Error('the connection changed while the batch was in flight');
        if (ack.duplicate) this.duplicates++;
        this.published += batch.length;
        this.queue.ackThrough(last.seq);
      } catch {
        // Not woken by new results: each retry sends the whole batch again.
        await sleep(500);
        continue;
      }
      // A backlog (after an outage) goes at once; otherwise results gather for the next batch.
      if (this.queue.length < WINDOW && !this.closed) await sleep(BATCH_MS);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
