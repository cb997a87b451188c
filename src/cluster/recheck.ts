import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Feed } from '../feed/feed.js';
import { decodeToken, RECHECK_PREFIX, recheckSubject } from './names.js';

/** One location's answer to "check it now". */
export interface RecheckAnswer {
  location: string;
  state: string;
  outcome: string;
  connectMs: number | null;
  cause?: string;
  /** From the request to this answer, as the asker measured it. */
  ms?: number;
}

/** A target is checked on request at most once in this long; later requests get that check's answer. */
export const RECHECK_MIN_GAP_MS = 1000;
/** Requests waiting for a check in flight, over all targets; more are told "busy" at once. */
export const RECHECK_MAX_WAITING = 64;

interface Recheck {
  started: number;
  /** The requests waiting for the answer; undefined once answered (or timed out). */
  waiting: Msg[] | undefined;
  /** The answer as sent, repeated to requests within RECHECK_MIN_GAP_MS of the start. */
  answer?: string;
}

/**
 * Answers `porthole.recheck.<target>` for the targets this agent checks: checks at once and replies
 * with the result when it is in (or stays silent past the target's timeout). A target not checked
 * here gets no answer, so the asker hears only from the locations that check it. Anyone on NATS may
 * ask, as often as they like: a target is checked at most once a second (the requests meanwhile share
 * that check's answer), and at most RECHECK_MAX_WAITING requests wait; the rest hear "busy".
 */
export function serveRecheck(nc: NatsConnection, location: string, feed: Feed, recheck: (id: string) => void, now: () => number = Date.now): Subscription {
  const recent = new Map<string, Recheck>();
  let waiting = 0;
  const busy = JSON.stringify({ location, state: 'BUSY', outcome: 'busy', connectMs: null, cause: 'asked too often' } satisfies RecheckAnswer);
  const forget = (t: number) => {
    for (const [id, r] of recent) if (!r.waiting && t - r.started >= RECHECK_MIN_GAP_MS) recent.delete(id);
  };
  return nc.subscribe(`${RECHECK_PREFIX}.*`, {
    callback: (err, msg) => {
      if (err || !msg.reply) return;
      const id = decodeToken(msg.subject.slice(RECHECK_PREFIX.length + 1));
      const view = feed.get(id);
      if (!view || view.target.paused) return;
      const t = now();
      forget(t);
      const last = recent.get(id);
      if (last?.waiting) {
        if (waiting >= RECHECK_MAX_WAITING) msg.respond(busy);
        else {
          last.waiting.push(msg);
          waiting++;
        }
        return;
      }
      if (last) {
        msg.respond(last.answer ?? busy);
        return;
      }
      if (waiting >= RECHECK_MAX_WAITING) {
        msg.respond(busy);
        return;
      }
      const entry: Recheck = { started: t, waiting: [msg] };
      waiting++;
      recent.set(id, entry);
      const before = view.checks;
      const finish = () => {
        const asked = entry.waiting;
        if (!asked) return;
        entry.waiting = undefined;
        waiting -= asked.length;
        clearTimeout(timer);
        unsubscribe();
        const v = feed.get(id);
        if (!v || v.checks === before) return;
        const r = v.lastResult;
        const answer: RecheckAnswer = { location, state: v.monitor.state, outcome: r?.outcome ?? 'error', connectMs: r?.connectMs ?? null, ...(v.monitor.cause ? { cause: v.monitor.cause } : {}) };
        entry.answer = JSON.stringify(answer);
        for (const m of asked) m.respond(entry.answer);
      };
      const unsubscribe = feed.subscribe((e) => {
        if (e.type === 'result' && e.targetId === id) finish();
      });
      const timer = setTimeout(finish, view.target.timeoutMs + 1000);
      timer.unref();
      recheck(id);
    },
  });
}

/**
 * Asks every location that checks the target to check it now (scatter-gather): each answer is passed
 * on as it arrives, until the deadline. Resolves with all of them.
 */
export async function recheckEverywhere(nc: NatsConnection, targetId: string, deadlineMs: number, onAnswer: (a: RecheckAnswer) => void): Promise<RecheckAnswer[]> {
  const t0 = Date.now();
  const out: RecheckAnswer[] = [];
  let replies: AsyncIterable<{ data: Uint8Array }>;
  try {
    replies = await nc.requestMany(recheckSubject(targetId), '', { strategy: 'timer', maxWait: deadlineMs });
  } catch {
    return out;
  }
  try {
    for await (const m of replies) {
      const a = parseAnswer(m.data);
      if (!a) continue;
      const answer = { ...a, ms: Date.now() - t0 };
      out.push(answer);
      onAnswer(answer);
    }
  } catch {
    // No responders, or the deadline: what arrived is the answer.
  }
  return out;
}

function parseAnswer(data: Uint8Array): RecheckAnswer | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<RecheckAnswer>;
    if (typeof v.location !== 'string' || typeof v.state !== 'string' || typeof v.outcome !== 'string') return undefined;
    return { location: v.location, state: v.state, outcome: v.outcome, connectMs: typeof v.connectMs === 'number' ? v.connectMs : null, ...(typeof v.cause === 'string' ? { cause: v.cause } : {}) };
  } catch {
    return undefined;
  }
}
