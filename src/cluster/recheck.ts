import type { NatsConnection, Subscription } from '@nats-io/transport-node';
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

/**
 * Answers `porthole.recheck.<target>` for the targets this agent checks: checks at once and replies
 * with the result when it is in (or stays silent past the target's timeout). A target not checked
 * here gets no answer, so the asker hears only from the locations that check it.
 */
export function serveRecheck(nc: NatsConnection, location: string, feed: Feed, recheck: (id: string) => void): Subscription {
  return nc.subscribe(`${RECHECK_PREFIX}.*`, {
    callback: (err, msg) => {
      if (err || !msg.reply) return;
      const id = decodeToken(msg.subject.slice(RECHECK_PREFIX.length + 1));
      const view = feed.get(id);
      if (!view || view.target.paused) return;
      const before = view.checks;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        const v = feed.get(id);
        if (!v || v.checks === before) return;
        const r = v.lastResult;
        const answer: RecheckAnswer = { location, state: v.monitor.state, outcome: r?.outcome ?? 'error', connectMs: r?.connectMs ?? null, ...(v.monitor.cause ? { cause: v.monitor.cause } : {}) };
        msg.respond(JSON.stringify(answer));
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
