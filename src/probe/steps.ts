import { sanitize } from '../text/sanitize.js';
import { sendBytes } from './send-bytes.js';
import { expandTemplate, parseTemplate, type TemplatePart } from './send-template.js';
import { ExpectFailure, TlsFailure, type Session, type SkippingJudge, type Verdict } from './session.js';
import type { ConversationStep } from './types.js';

/** Most bytes held unread at once in a conversation of steps (lines already judged are let go). */
export const DEFAULT_STEPS_MAX_BYTES = 16_384;
const EXCERPT_CHARS = 80;

type Planned = { send: TemplatePart[] } | { expect: RegExp } | { starttls: true };

/** Parsed once per steps list: the config already proved every regex and template valid. */
const plans = new WeakMap<readonly ConversationStep[], Planned[]>();

function planOf(steps: readonly ConversationStep[]): Planned[] {
  let plan = plans.get(steps);
  if (!plan) {
    plan = steps.map((st): Planned => {
      if ('send' in st) return { send: typeof st.send === 'string' ? parseTemplate(st.send) : [{ bytes: sendBytes(st.send) }] };
      if ('expect' in st) return { expect: new RegExp(st.expect) };
      return { starttls: true };
    });
    plans.set(steps, plan);
  }
  return plan;
}

/** How a step reads in evidence. */
export function describeStep(step: ConversationStep): string {
  if ('expect' in step) return `expect /${step.expect}/`;
  if ('send' in step) return `send ${typeof step.send === 'string' ? JSON.stringify(step.send) : `hex ${step.send.hex}`}`;
  return 'starttls';
}

/** What a whole conversation expects, in a few words. */
export function describeSteps(steps: readonly ConversationStep[]): string {
  const expects = steps.filter((st): st is { expect: string } => 'expect' in st);
  const last = expects[expects.length - 1];
  return `${steps.length} step${steps.length === 1 ? '' : 's'}${last ? `, last expect /${last.expect}/` : ''}`;
}

/**
 * A judge that reads line by line (LF or CRLF ends a line, the end is not part of it), lets go of
 * lines that do not match, and tests an unfinished last line once the server has gone quiet.
 */
function lineJudge(re: RegExp, seen: { line: string; match?: RegExpExecArray }): SkippingJudge {
  return (buf, settled) => {
    const text = buf.toString('latin1');
    let start = 0;
    const test = (line: string, end: number): Verdict | undefined => {
      if (line) seen.line = line;
      const m = re.exec(line);
      if (!m) return undefined;
      seen.match = m;
      return { ok: true, used: end };
    };
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const v = test(text.slice(start, nl).replace(/\r$/, ''), nl + 1);
      if (v) return v;
      start = nl + 1;
    }
    if (settled && start < text.length) {
      const v = test(text.slice(start), text.length);
      if (v) return v;
    }
    return start > 0 ? { skip: start } : 'more';
  };
}

/** Numbered captures are the latest expect's; a named one stays until a later expect sets it again. */
function remember(captures: Map<string, string>, m: RegExpExecArray): void {
  for (const k of [...captures.keys()]) if (/^\d+$/.test(k)) captures.delete(k);
  m.forEach((v, i) => captures.set(String(i), v ?? ''));
  for (const [k, v] of Object.entries(m.groups ?? {})) captures.set(k, v ?? '');
}

/**
 * Runs a conversation step by step within the session's one read budget, the way blackbox_exporter's
 * `query_response` does. A failed step throws with its number and an excerpt of the last line read
 * (`hide` takes out what the sends took from the environment); `upgrade` gets what is left of the
 * budget for its handshake.
 */
export async function runSteps(s: Session, steps: readonly ConversationStep[], upgrade: (timeoutMs: number) => Promise<void>, hide: (text: string) => string = (t) => t): Promise<Verdict> {
  const plan = planOf(steps);
  const captures = new Map<string, string>();
  // The last line read in the whole conversation: the evidence when a step fails.
  const seen: { line: string; match?: RegExpExecArray } = { line: '' };
  let note: string | undefined;
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    const label = `step ${i + 1} of ${plan.length}`;
    if ('send' in step) {
      s.send(expandTemplate(step.send, captures));
    } else if ('expect' in step) {
      seen.match = undefined;
      const expected = `/${step.expect.source}/`;
      try {
        await s.expect(lineJudge(step.expect, seen), expected, undefined, true);
      } catch (err) {
        if (!(err instanceof ExpectFailure)) throw err;
        const last = seen.line ? `; last line "${sanitize(hide(seen.line), EXCERPT_CHARS)}"` : '';
        throw new ExpectFailure(`${label}: ${err.message}${last}`, `${label}: ${expected}`, err.readTimedOut);
      }
      remember(captures, seen.match!);
      note = hide(seen.line);
    } else {
      const left = s.remainingMs();
      if (left <= 0) throw new ExpectFailure(`${label}: no time left in the read timeout for STARTTLS`, `${label}: starttls`, true);
      try {
        await upgrade(left);
      } catch (err) {
        if (err instanceof TlsFailure) throw new TlsFailure(`${label} (starttls): ${err.message}`, err.errno);
        throw err;
      }
    }
  }
  return { ok: true, ...(note ? { note } : {}) };
}
