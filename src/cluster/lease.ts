import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { LEASE_BUCKET, LEASE_KEY } from './names.js';

export interface LeaseEvents {
  onAcquired(): void;
  onLost(reason: string): void;
}

/**
 * The aggregator role: one key in a KV bucket whose age limit is the lease's TTL. The holder
 * re-writes it (compare-and-set on its revision) every third of the TTL; the others try to create
 * it every quarter, which succeeds only once it has expired. A holder that could not renew for
 * 80% of the TTL by its own clock stops acting before anyone else can start.
 */
export class Lease {
  readonly me = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private kv: KV | undefined;
  private revision: number | undefined;
  private renewedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy = false;
  holder: string | undefined;

  constructor(
    private readonly nc: NatsConnection,
    readonly location: string,
    readonly ttlMs: number,
    private readonly events: LeaseEvents,
  ) {}

  /** True while this agent holds the role (and has renewed it recently enough to be sure). */
  held(now = Date.now()): boolean {
    return this.revision !== undefined && now - this.renewedAt < this.ttlMs * 0.8;
  }

  async start(): Promise<void> {
    this.kv = await new Kvm(this.nc).create(LEASE_BUCKET, { ttl: this.ttlMs, history: 1 });
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.kv) return;
    this.busy = true;
    const value = JSON.stringify({ holder: this.me, location: this.location });
    try {
      if (this.revision !== undefined) {
        try {
          this.revision = await this.kv.update(LEASE_KEY, value, this.revision);
          this.renewedAt = Date.now();
        } catch (err) {
          this.drop(`renewal refused: ${err instanceof Error ? err.message : String(err)}`);
        }
      } else {
        try {
          this.revision = await this.kv.create(LEASE_KEY, value);
          this.renewedAt = Date.now();
          this.holder = this.me;
          this.events.onAcquired();
        } catch {
          const e = await this.kv.get(LEASE_KEY).catch(() => null);
          this.holder = e && e.operation === 'PUT' ? parseHolder(e.value) : undefined;
        }
      }
    } catch {
      // NATS away: the clock in held() decides.
    } finally {
      this.busy = false;
      if (this.revision !== undefined && !this.held()) this.drop('not renewed in time');
      this.schedule(this.revision !== undefined ? this.ttlMs / 3 : this.ttlMs / 4);
    }
  }

  private drop(reason: string): void {
    if (this.revision === undefined) return;
    this.revision = undefined;
    this.holder = undefined;
    this.events.onLost(reason);
  }

  /** Stops; a holder deletes the key so another agent takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.revision !== undefined && this.kv) {
      const rev = this.revision;
      this.drop('stopping');
      await this.kv.delete(LEASE_KEY, { previousSeq: rev }).catch(() => undefined);
    }
  }
}

function parseHolder(data: Uint8Array): string | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as { holder?: unknown; location?: unknown };
    return typeof v.holder === 'string' ? `${String(v.location)} ${v.holder}` : undefined;
  } catch {
    return undefined;
  }
}
