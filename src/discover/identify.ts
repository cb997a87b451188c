import type { Socket } from 'node:net';
import { openConnection } from '../probe/connect.js';
import { listenWindowMs } from '../probe/mysql-farewell.js';
import { presetFor } from '../probe/conversation-presets.js';
import { ExpectFailure, Session, type Judge } from '../probe/session.js';
import { sanitize } from '../text/sanitize.js';
import { greetingComplete, httpStatus, isServiceName, nameOnPort, overTls, recogniseGreeting, recogniseHttpAnswer, type Hint, type Recognised } from './recognise.js';

/** What identification found on one open port. */
export interface Identity {
  /** The service name for the config, when one was found. */
  service?: string;
  /** What the table shows: the service, or "tls" for TLS of no kind porthole names. */
  label?: string;
  /** How: from what the server said first, or from its answer to one of our questions. */
  how?: 'greeting' | 'answer';
  /** Sanitized: the server's own words (greeting line, HTTP status and Server header, preset note). */
  evidence?: string;
  /** TLS from the first byte; with whether the certificate chain verified. */
  tls?: boolean;
  tlsTrusted?: boolean;
  /** The status of `HEAD /` (plain or over TLS). */
  httpStatus?: number;
  /** The service's preset conversation ran and matched (so `check: "banner"` will pass). */
  confirmed?: boolean;
  /** Questions asked (connections opened after the scan's own). */
  asked: number;
  elapsedMs: number;
}

/**
 * The per-port budget. The greeting window is the probe's own for a server that speaks first
 * (max(0.5 s, 8 × handshake), at most 2 s); each question then waits max(250 ms, 10 × handshake),
 * at most the connect timeout, for its answer; the whole port stops after `budgetMs`.
 */
export interface IdentifyBudget {
  greetMs: number;
  answerMs: number;
  budgetMs: number;
}

export const BUDGET_MS = 3_000;

export function budgetFor(connectMs: number, timeoutMs: number): IdentifyBudget {
  return {
    greetMs: listenWindowMs(connectMs),
    answerMs: Math.min(timeoutMs, Math.max(250, 10 * connectMs)),
    budgetMs: Math.max(BUDGET_MS, timeoutMs),
  };
}

type Found = Recognised & { how: 'greeting' | 'answer'; tls?: boolean; tlsTrusted?: boolean; httpStatus?: number; confirmed?: boolean };
type Question = 'http' | 'tls' | 'redis' | 'postgres' | 'mqtt' | 'amqp' | 'memcached';

/** Ports asking questions at once (each question is one connection); greetings are heard on every open port at once. */
const ASKING_AT_ONCE = 32;

/** In the order asked when the port's own name does not say what to try first. */
const QUESTIONS: readonly Question[] = ['http', 'tls', 'redis', 'postgres', 'mqtt', 'amqp', 'memcached'];

/** The question the port's well-known name suggests first (6379 → redis, 443 → tls). */
function firstQuestionFor(known: string | undefined): Question | undefined {
  if (known === undefined) return undefined;
  if (['http', 'http-alt', 'prometheus', 'elasticsearch', 'etcd', 'kubernetes'].includes(known)) return 'http';
  if (presetFor(known)?.tlsFirst) return 'tls';
  return (QUESTIONS as readonly string[]).includes(known) ? (known as Question) : undefined;
}

const HEAD = 'HEAD / HTTP/1.0\r\n\r\n';

/** Reads until `recognise` names something or says it never will; keeps the bytes for a preset that follows. */
function judgeWith<T>(complete: (buf: Buffer) => boolean, recognise: (buf: Buffer) => T | undefined, out: { found?: T }): Judge {
  return (buf) => {
    if (!complete(buf)) return 'more';
    const r = recognise(buf);
    if (r === undefined) return { ok: false, note: sanitize(buf.toString('latin1'), 80) };
    out.found = r;
    return { ok: true, used: 0 };
  };
}

const lineDone = (buf: Buffer) => buf.includes(0x0a) || buf.length >= 256;

/** Runs a preset's conversation on a session whose first bytes it will read: a polite ending, and its note. */
async function runPreset(s: Session, service: string): Promise<string | undefined> {
  const preset = presetFor(service);
  if (!preset) return undefined;
  try {
    const v = await preset.run(s);
    return v.note;
  } catch {
    return undefined;
  }
}

async function afterGreeting(s: Session, r: Recognised): Promise<Found> {
  const note = await runPreset(s, r.service);
  if (r.service === 'ftp') s.send('QUIT\r\n');
  return { ...r, how: 'greeting', ...(note ? { note, confirmed: true } : {}) };
}

export class Identifier {
  constructor(
    private readonly address: string,
    private readonly family: 4 | 6,
    private readonly timeoutMs: number,
    private readonly knownName: (port: number) => string | undefined,
  ) {}

  /** Names the service on `port`, starting with the scan's own connection (`socket`), within the port's budget. */
  async identify(port: number, connectMs: number, socket: Socket): Promise<Identity> {
    const t0 = performance.now();
    const b = budgetFor(connectMs, this.timeoutMs);
    let asked = 0;
    let evidence: string | undefined;
    const done = (f: Found | undefined): Identity => {
      const elapsedMs = performance.now() - t0;
      if (!f) return { ...(evidence ? { evidence } : {}), asked, elapsedMs };
      const name = f.service === 'tls' ? 'tls' : nameOnPort(f.service, port);
      return {
        ...(isServiceName(name) ? { service: name } : {}),
        label: name,
        how: f.how,
        evidence: sanitize(f.note, 120),
        ...(f.tls ? { tls: true, tlsTrusted: f.tlsTrusted === true } : {}),
        ...(f.httpStatus !== undefined ? { httpStatus: f.httpStatus } : {}),
        ...(f.confirmed ? { confirmed: true } : {}),
        asked,
        elapsedMs,
      };
    };

    // 1. What it says first, on the scan's connection. A MySQL greeting is answered with the probe login.
    const s = new Session(socket, b.budgetMs, 1024);
    const heard: { found?: Recognised } = {};
    try {
      await s.expect(judgeWith(greetingComplete, recogniseGreeting, heard), 'a greeting', b.greetMs);
      return done(await afterGreeting(s, heard.found!));
    } catch (err) {
      if (err instanceof ExpectFailure && !err.readTimedOut) {
        // It spoke in words we do not know (that is its answer: asking more would only confuse it), or hung up.
        evidence = s.firstBytes.length > 0 ? sanitize(s.firstBytes.toString('latin1'), 80) : 'closed the connection without a word';
        return done(undefined);
      }
    } finally {
      s.close();
    }
    const greetingMs = performance.now() - t0;

    // 2. One question per protocol family, each on a connection of its own, until one is answered.
    const order: Question[] = [];
    const first = firstQuestionFor(this.knownName(port));
    if (first) order.push(first);
    for (const q of QUESTIONS) if (!order.includes(q)) order.push(q);
    // The questions' share of the budget starts when the port's turn comes (ports wait while others ask).
    await this.turn();
    const turnAt = performance.now();
    const questionsLeft = () => b.budgetMs - greetingMs - (performance.now() - turnAt);
    try {
      return done(await this.askInTurn(port, order, b, questionsLeft, (n) => (asked = n), (e) => (evidence = e)));
    } finally {
      this.release();
    }
  }

  private active = 0;
  private readonly waiting: (() => void)[] = [];

  private turn(): Promise<void> {
    if (this.active < ASKING_AT_ONCE) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async askInTurn(port: number, order: Question[], b: IdentifyBudget, left: () => number, count: (n: number) => void, note: (e: string) => void): Promise<Found | undefined> {
    let asked = 0;
    while (order.length > 0 && left() > 0) {
      const q = order.shift()!;
      count(++asked);
      const r = await this.ask(port, q, b, left());
      if (r === 'gone') break;
      if (r === undefined) continue;
      if ('hint' in r) {
        note(sanitize(r.note, 80));
        const i = order.indexOf(r.hint);
        if (i > 0) order.unshift(...order.splice(i, 1));
        continue;
      }
      return r;
    }
    return undefined;
  }

  /** One question on a new connection: a name, a hint, nothing, or 'gone' (the port stopped answering). */
  private async ask(port: number, q: Question, b: IdentifyBudget, leftMs: number): Promise<Found | Hint | 'gone' | undefined> {
    const c = await openConnection(this.address, this.family, port, Math.min(this.timeoutMs, Math.max(1, leftMs)));
    if (!c.ok) return 'gone';
    const within = Math.max(1, Math.min(b.answerMs, leftMs));
    const s = new Session(c.socket, within, 4096);
    try {
      if (q === 'http') return await this.askHttp(s, within, false);
      if (q === 'tls') return await this.askTls(s, b, within);
      const note = await runPreset(s, q);
      return note === undefined ? undefined : { service: q, note, how: 'answer', confirmed: true };
    } catch {
      return undefined;
    } finally {
      s.close();
    }
  }

  private async askHttp(s: Session, within: number, tls: boolean): Promise<Found | Hint | undefined> {
    s.send(HEAD);
    const heard: { found?: Recognised | Hint } = {};
    await s.expect(judgeWith(lineDone, recogniseHttpAnswer, heard), 'an answer to HEAD /', within);
    const r = heard.found;
    if (!r || 'hint' in r) return r;
    const status = httpStatus(s.firstBytes);
    return { ...r, service: tls ? overTls(r.service) : r.service, how: 'answer', ...(status !== undefined ? { httpStatus: status } : {}) };
  }

  /** A TLS ClientHello; then what it says first over TLS, else HEAD / over TLS, else plain "tls". */
  private async askTls(s: Session, b: IdentifyBudget, within: number): Promise<Found | undefined> {
    await s.upgradeTls({ host: this.address, verify: false, timeoutMs: Math.max(within, 1_000) });
    const tls = { tls: true, tlsTrusted: s.tls?.authorized === true };
    const proto = s.tls?.protocol ?? 'TLS';
    const heard: { found?: Recognised } = {};
    try {
      await s.expect(judgeWith(greetingComplete, recogniseGreeting, heard), 'a greeting over TLS', Math.min(b.answerMs, within));
      const r = heard.found!;
      const note = await runPreset(s, overTls(r.service));
      return { service: overTls(r.service), note: `${proto}; ${note ?? r.note}`, how: 'answer', ...tls, ...(note ? { confirmed: true } : {}) };
    } catch (err) {
      if (!(err instanceof ExpectFailure) || !err.readTimedOut || s.firstBytes.length > 0) {
        return { service: 'tls', note: `${proto} ${s.tls?.subject ?? ''}`.trim(), how: 'answer', ...tls };
      }
    }
    try {
      const r = await this.askHttp(s, within, true);
      if (r && !('hint' in r)) return { ...r, note: `${proto}; ${r.note}`, ...tls, confirmed: true };
    } catch {
      // Not HTTP: a TLS service of another kind.
    }
    return { service: 'tls', note: `${proto} ${s.tls?.subject ?? ''}`.trim(), how: 'answer', ...tls };
  }
}
