import type { Session, Verdict } from './session.js';
import { sendBytes } from './send-bytes.js';
import { describeSteps } from './steps.js';
import type { ProbeOptions } from './types.js';

/** How the configured expectation reads in evidence. */
export function describeExpect(o: ProbeOptions): string {
  if (o.steps) return describeSteps(o.steps);
  if (o.expect === undefined) return 'any answer';
  return o.expectMode === 'regex' ? `/${o.expect}/` : JSON.stringify(o.expect);
}

/** A user's own send/expect: send the bytes, then look for the substring or regex in the first bytes. */
export async function runCustom(s: Session, o: ProbeOptions): Promise<Verdict> {
  if (o.send !== undefined) s.send(sendBytes(o.send));
  if (o.expect === undefined) return { ok: true };
  const expect = o.expect;
  const re = o.expectMode === 'regex' ? new RegExp(expect) : undefined;
  const match = (text: string) => (re ? re.test(text) : text.includes(expect));
  return s.expect((buf) => (match(buf.toString('latin1')) ? { ok: true } : 'more'), describeExpect(o));
}
