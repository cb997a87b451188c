import { DeliverPolicy, jetstream, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { RESULT_PREFIX, RESULTS_STREAM } from './names.js';
import { checkResultMessage, type DropReason, type ResultMessage } from './result-message.js';

export interface StoredResult {
  message: ResultMessage;
  /** The stream's sequence number (0: read as published, not from the stream). */
  seq: number;
  /** The publish id it was stored under. */
  msgId: string | undefined;
}

export interface FollowOptions {
  /** 'latest': the newest result of every location × target, then each new one; 'all': every stored result. */
  from: 'latest' | 'all';
  onResult(r: StoredResult): void;
  /** A message refused (malformed, another location's name, a time a day off): counted, never shown. */
  onDropped?(reason: DropReason): void;
  /** Called once, when everything stored at the start has been delivered. */
  onCaughtUp?(): void;
}

/**
 * Reads the results stream with an ordered consumer (nothing to acknowledge, nothing left behind on
 * the server when it stops): what a console, `status --cluster` or the aggregator sees.
 * Messages that fail checkResultMessage are skipped and passed to onDropped. Returns a stop function.
 */
export async function followResults(nc: NatsConnection, o: FollowOptions): Promise<() => void> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(RESULTS_STREAM, {
    filter_subjects: `${RESULT_PREFIX}.>`,
    deliver_policy: o.from === 'latest' ? DeliverPolicy.LastPerSubject : DeliverPolicy.All,
  });
  let caughtUp = false;
  const info = await consumer.info(true).catch(() => undefined);
  // What was stored at the start: caught up once that many have come. Waiting for "nothing pending"
  // instead could wait for ever while agents keep publishing faster than a pause comes.
  const stored = info?.num_pending ?? 0;
  let received = 0;
  if (stored === 0) {
    caughtUp = true;
    o.onCaughtUp?.();
  }
  const handle = (m: JsMsg) => {
    const message = checkResultMessage(m.data, m.subject, Date.now());
    if ('drop' in message) o.onDropped?.(message.drop);
    // The publish id is parsed only when asked for (tests do): not for each message the aggregator reads.
    else
      o.onResult({
        message,
        get seq() {
          return m.seq;
        },
        get msgId() {
          return m.headers?.get('Nats-Msg-Id') || undefined;
        },
      });
    if (!caughtUp && (++received >= stored || m.info.pending === 0)) {
      caughtUp = true;
      o.onCaughtUp?.();
    }
  };
  // A callback rather than an async iterator (no promise per message), and pulls of 1,000 topped
  // up every 250 (the default 100 meant a pull request every 25 messages): the aggregator reads
  // every location's results.
  const messages = await consumer.consume({
    max_messages: 1000,
    expires: 30_000,
    callback: (m) => {
      try {
        handle(m);
      } catch {
        // A reader's fault must not stop the consumer (it would, thrown from here).
      }
    },
  });
  return () => void messages.close().catch(() => undefined);
}

/** Everything stored now (bounded by `max` and a deadline): for tests, pull and one-shot reads. */
export async function readStoredResults(nc: NatsConnection, from: 'latest' | 'all', timeoutMs = 5000, max = 1_000_000, onDropped?: (reason: DropReason) => void): Promise<StoredResult[]> {
  const out: StoredResult[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(done, timeoutMs);
  const stop = await followResults(nc, {
    from,
    onResult: (r) => {
      if (out.length < max) out.push(r);
    },
    onCaughtUp: () => done(),
    ...(onDropped ? { onDropped } : {}),
  });
  await finished;
  clearTimeout(timer);
  stop();
  return out;
}

/**
 * The newest result of every location × target, kept current: what the aggregator follows. It
 * catches up from the stream (an ordered consumer, last per subject) and then reads new results as
 * they are published, on a plain subscription to the same subjects, taken before the catch-up so
 * nothing falls between. The consumer stops once caught up: a JetStream delivery per result (its
 * metadata, the pull requests) cost the aggregator, which reads every location's results, more than
 * the message itself. A result seen twice (a resend, or both ways during the catch-up) is harmless to
 * a reader that keeps the newest by time. Returns a stop function.
 */
export async function followNewest(nc: NatsConnection, o: Omit<FollowOptions, 'from'>): Promise<() => void> {
  const sub = nc.subscribe(`${RESULT_PREFIX}.>`, {
    callback: (err, m) => {
      if (err) return;
      try {
        const message = checkResultMessage(m.data, m.subject, Date.now());
        if ('drop' in message) o.onDropped?.(message.drop);
        else
          o.onResult({
            message,
            seq: 0,
            get msgId() {
              return m.headers?.get('Nats-Msg-Id') || undefined;
            },
          });
      } catch {
        // A reader's fault must not end the subscription.
      }
    },
  });
  let stopCatchUp: (() => void) | undefined;
  let caughtUp = false;
  try {
    stopCatchUp = await followResults(nc, {
      from: 'latest',
      onResult: o.onResult,
      ...(o.onDropped ? { onDropped: o.onDropped } : {}),
      onCaughtUp: () => {
        caughtUp = true;
        // Called from within the consumer's own delivery: stopped once that returns.
        queueMicrotask(() => stopCatchUp?.());
        o.onCaughtUp?.();
      },
    });
  } catch (err) {
    sub.unsubscribe();
    throw err;
  }
  if (caughtUp) stopCatchUp();
  return () => {
    sub.unsubscribe();
    stopCatchUp?.();
  };
}
