import { DeliverPolicy, jetstream, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { RESULT_PREFIX, RESULTS_STREAM } from './names.js';
import { checkResultMessage, type DropReason, type ResultMessage } from './result-message.js';

export interface StoredResult {
  message: ResultMessage;
  /** The stream's sequence number. */
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
  if ((info?.num_pending ?? 0) === 0) {
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
    if (!caughtUp && m.info.pending === 0) {
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
