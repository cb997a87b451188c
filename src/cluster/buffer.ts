export interface Queued<T> {
  seq: number;
  item: T;
}

/**
 * The results an agent holds until JetStream has acknowledged them (all of them while NATS is
 * unreachable): first in, first out, bounded. When full the oldest goes (the newest say most about
 * now) and is counted. Items are removed by sequence number, so a drop while a batch is in flight
 * never removes one that was not sent.
 */
export class BoundedQueue<T> {
  private items: Queued<T>[] = [];
  private head = 0;
  private nextSeq = 1;
  dropped = 0;
  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.length >= this.capacity) {
      this.head++;
      this.dropped++;
    }
    this.items.push({ seq: this.nextSeq++, item });
    this.compact();
  }

  /** Up to n entries from the front; they stay queued until `ackThrough`. */
  peek(n: number): Queued<T>[] {
    return this.items.slice(this.head, this.head + n);
  }

  /** Removes every entry up to and including seq. */
  ackThrough(seq: number): void {
    while (this.head < this.items.length && (this.items[this.head] as Queued<T>).seq <= seq) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
