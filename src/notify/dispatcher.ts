import { formatDuration } from '../config/duration.js';
import { retryDelay, type BackoffSettings } from './backoff.js';
import type { Outbox, OutboxRow } from './outbox.js';
import type { Redactor } from './redact.js';
import type { AlertMessage, Channel, SendResult } from './types.js';

export interface DispatcherOptions {
  /** Messages in flight at once across all channels (default 4); each channel sends one at a time. */
  concurrency?: number;
  backoff?: BackoffSettings;
  /** Rows of one group created this close to the first go out as one message. */
  groupWithinMs: number;
  giveUpAfterMs: number;
  /** Longest a send may take before it counts as failed, on top of the channel's own timeout. */
  sendLimitMs?: number;
  now?: () => number;
  /**
   * Asked before a row's first attempt: undefined lets it go; a time makes it wait until then
   * (the host's other checks are still confirming, see host-hold.ts). Not asked after endHolds().
   */
  hold?: (row: OutboxRow, now: number) => number | undefined;
  /** Called after every attempt (the health and pending counts changed). */
  onAttempt?: (channel: string, result: SendResult, message: AlertMessage) => void;
}

/** Longest sleep between looks at the outbox, so an expiry or a clock jump is noticed. */
const MAX_IDLE_MS = 60_000;

/**
 * Sends what the outbox holds: one message per channel at a time, bounded concurrency overall,
 * exponential backoff with jitter on failure. Runs on timers only; nothing here is awaited by the
 * engine, so a slow or dead channel never delays a check.
 */
export class Dispatcher {
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private closed = false;
  private holding = true;
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly sendLimitMs: number;

  constructor(
    private readonly outbox: Outbox,
    private readonly channels: ReadonlyMap<string, Channel>,
    private readonly redactor: Redactor,
    private readonly options: DispatcherOptions,
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? Date.now;
    this.sendLimitMs = options.sendLimitMs ?? 120_000;
  }

  /** From now on nothing is held for its host (a drain before exit sends what is there). */
  endHolds(): void {
    this.holding = false;
  }

  /** Looks at the outbox as soon as possible (after an enqueue, at start). */
  poke(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    const at = this.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, Math.max(0, delayMs));
    this.timer.unref();
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.now();
    try {
      this.outbox.expire(now, this.options.giveUpAfterMs, formatDuration(this.options.giveUpAfterMs));
      const due = this.outbox.due(now, 200);
      for (const row of due) {
        if (this.inFlight.size >= this.concurrency) break;
        if (this.busy.has(row.channel)) continue;
        const channel = this.channels.get(row.channel);
        // A channel no longer in the config: the row waits (shown as pending) until it expires.
        if (!channel) continue;
        if (row.batch === null && this.holding && this.options.hold) {
          const until = this.options.hold(row, now);
          if (until !== undefined && until > now) {
            this.outbox.postpone(row.id, until);
            continue;
          }
        }
        this.start(channel, row);
      }
      const next = this.outbox.nextDue();
      this.schedule(next === undefined ? MAX_IDLE_MS : Math.min(MAX_IDLE_MS, Math.max(50, next - now)));
    } catch {
      // The database is failing (disk full, I/O error): try again later rather than spin.
      this.schedule(5_000);
    }
  }

  private start(channel: Channel, lead: OutboxRow): void {
    this.busy.add(channel.name);
    const run = this.attempt(channel, lead)
      // A database that fails (or was closed under a late send) leaves the rows pending: they go out again later.
      .catch(() => {})
      .finally(() => {
      this.busy.delete(channel.name);
      this.inFlight.delete(run);
      this.poke();
    });
    this.inFlight.add(run);
  }

  private async attempt(channel: Channel, lead: OutboxRow): Promise<void> {
    const rows = this.outbox.beginAttempt(lead, this.options.groupWithinMs, this.now());
    const first = rows[0];
    if (!first) return;
    const batch = first.batch ?? first.alertId;
    const message: AlertMessage = { id: batch, kind: first.kind, items: rows.map((r) => r.item) };
    const result = await this.sendBounded(channel, message);
    const attempts = Math.max(...rows.map((r) => r.attempts));
    const now = this.now();
    if (result.ok) {
      this.outbox.markDelivered(channel.name, batch, now);
    } else {
      const delay = Math.max(retryDelay(attempts, this.options.backoff), result.retryAfterMs ?? 0);
      this.outbox.markRetry(channel.name, batch, this.redactor.redact(result.error).slice(0, 500), now + delay);
    }
    this.options.onAttempt?.(channel.name, result, message);
  }

  private async sendBounded(channel: Channel, message: AlertMessage): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<SendResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `no result within ${formatDuration(this.sendLimitMs)}` }), this.sendLimitMs);
    });
    try {
      return await Promise.race([
        channel.send(message).catch((err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) })),
        limit,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops looking at the outbox and waits (at most `waitMs`) for sends in flight. */
  async close(waitMs = 5_000): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }
}
