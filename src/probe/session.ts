import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { closePolitely, holdClosing } from './close.js';
import { finishMysqlLogin, firstPacketDone, greetingIn } from './mysql-farewell.js';
import { tlsInfoOf } from './tls-info.js';
import type { TlsInfo } from './types.js';

/**
 * A judge reads the bytes so far: not enough yet, or a verdict (and how many bytes it used up).
 * `settled`: the server has gone quiet or hung up, so an unfinished last line is all there is.
 */
export type Verdict = { ok: boolean; note?: string; used?: number };
export type Judge = (buf: Buffer, settled?: boolean) => 'more' | Verdict;
/** A judge that may also let go of leading bytes it found irrelevant (lines before the one a step waits for). */
export type SkippingJudge = (buf: Buffer, settled: boolean) => 'more' | Verdict | { skip: number };

/** The server did not say what was expected (wrong bytes, silence, or it hung up). */
export class ExpectFailure extends Error {
  constructor(
    message: string,
    readonly expected: string,
    readonly readTimedOut: boolean,
  ) {
    super(message);
  }
}

export class TlsFailure extends Error {
  constructor(
    message: string,
    readonly errno?: string,
  ) {
    super(message);
  }
}

export interface TlsUpgrade {
  host: string;
  servername?: string;
  verify: boolean;
  ca?: string[];
  timeoutMs: number;
}

/** After the first bytes arrive, this much silence means the server has said all it will for now. */
const QUIET_MS = 300;

/**
 * One conversation over an established connection: timed reads against a single budget and a byte
 * cap, writes, and an in-place TLS upgrade. Every read and the TLS handshake are bounded in time.
 */
export class Session {
  private buf: Buffer = Buffer.alloc(0);
  private received = 0;
  private ended = false;
  /** Whether anything has been written: a server that spoke first and heard nothing back may need an answer. */
  private sentAny = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly readyAt = performance.now();
  private sentAt: number | undefined;
  private lastDataAt = 0;
  private readonly deadline: number;
  /** The bytes of the first answer, for evidence. */
  firstBytes: Buffer = Buffer.alloc(0);
  firstByteMs: number | null = null;
  /** Last write to first byte of its answer. */
  replyMs: number | null = null;
  tlsMs: number | null = null;
  tls: TlsInfo | undefined;

  constructor(
    private socket: Socket,
    readTimeoutMs: number,
    private readonly maxBytes: number,
    /**
     * A conversation read line by line keeps every byte that arrives (a judge lets go of the lines it
     * has read) and fails only on a line longer than maxBytes; otherwise bytes past maxBytes are dropped.
     */
    private readonly lineMode = false,
  ) {
    this.deadline = this.readyAt + readTimeoutMs;
    this.attach(socket);
  }

  private readonly onData = (chunk: Buffer) => {
    const now = performance.now();
    this.lastDataAt = now;
    if (this.firstByteMs === null) this.firstByteMs = now - this.readyAt;
    if (this.sentAt !== undefined) {
      this.replyMs = now - this.sentAt;
      this.sentAt = undefined;
    }
    const room = this.lineMode ? chunk.length : this.maxBytes - this.buf.length;
    if (room > 0) this.buf = Buffer.concat([this.buf, chunk.subarray(0, room)]);
    if (this.firstBytes.length < this.maxBytes && this.received < this.maxBytes) {
      this.firstBytes = Buffer.concat([this.firstBytes, chunk]).subarray(0, this.maxBytes);
    }
    this.received += chunk.length;
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };
  private readonly onError = (err: Error) => {
    this.failure = err;
    this.ended = true;
    this.wake?.();
  };

  private attach(s: Socket): void {
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('close', this.onEnd);
    s.on('error', this.onError);
  }

  private detach(s: Socket): void {
    s.removeListener('data', this.onData);
    s.removeListener('end', this.onEnd);
    s.removeListener('close', this.onEnd);
    s.removeListener('error', this.onError);
  }

  send(data: Buffer | string): void {
    if (this.ended) return;
    this.sentAny = true;
    this.sentAt = performance.now();
    this.socket.write(data);
  }

  /**
   * Reads until the judge decides, the budget or the byte cap runs out, or the server hangs up.
   * `withinMs` gives this read its own budget instead of what is left of the session's. A patient
   * read (a conversation step) waits out the budget for its line instead of giving up after a quiet
   * spell: a line protocol may pause between lines.
   */
  async expect(judge: SkippingJudge, expected: string, withinMs?: number, patient = false): Promise<Verdict> {
    const deadline = withinMs === undefined ? this.deadline : performance.now() + withinMs;
    let settledAt = -1;
    for (;;) {
      const quiet = this.ended || (this.buf.length > 0 && performance.now() - this.lastDataAt >= QUIET_MS);
      const settled = quiet && settledAt !== this.buf.length;
      const v = this.buf.length ? judge(this.buf, settled) : 'more';
      if (settled) settledAt = this.buf.length;
      if (v !== 'more' && 'skip' in v) {
        if (v.skip > 0) {
          this.buf = this.buf.subarray(v.skip);
          continue;
        }
      } else if (v !== 'more') {
        if (!v.ok) throw new ExpectFailure(`unexpected answer${v.note ? ` (${v.note})` : ''}, expected ${expected}`, expected, false);
        this.buf = this.buf.subarray(v.used ?? this.buf.length);
        return v;
      }
      if (this.lineMode && this.buf.length >= this.maxBytes) throw new ExpectFailure(`a line longer than ${this.maxBytes} bytes (maxBytes), expected ${expected}`, expected, false);
      if (this.buf.length >= this.maxBytes) throw new ExpectFailure(`no match in the first ${this.maxBytes} bytes, expected ${expected}`, expected, false);
      if (this.ended) {
        const why = this.failure ? `connection failed (${(this.failure as NodeJS.ErrnoException).code ?? this.failure.message})` : 'server closed the connection';
        throw new ExpectFailure(`${why} after ${this.received} bytes, expected ${expected}`, expected, false);
      }
      const now = performance.now();
      const left = deadline - now;
      if (left <= 0) throw new ExpectFailure(`no ${this.received ? 'matching ' : ''}reply within the read timeout (${this.received} bytes), expected ${expected}`, expected, true);
      const quietLeft = this.buf.length ? this.lastDataAt + QUIET_MS - now : Infinity;
      if (quietLeft > 0) await this.nap(Math.min(left, quietLeft));
      else if (!patient) throw new ExpectFailure(`no match in ${this.buf.length} bytes, expected ${expected}`, expected, false);
      else if (settledAt === this.buf.length) await this.nap(left);
    }
  }

  /** Sleeps up to `ms`, woken early by data, the end of the stream or an error. */
  private async nap(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** What is left of the session's read budget. */
  remainingMs(): number {
    return Math.max(0, this.deadline - performance.now());
  }

  /** The bytes received and not yet used by a verdict (for evidence when a step fails). */
  pending(): Buffer {
    return this.buf;
  }

  /**
   * Before a check speaks first: waits up to `ms` for a server that speaks first (until its first
   * packet is whole, by `complete`), so what the check then sends is not taken for the answer to it.
   */
  async listenFirst(ms: number, complete: (buf: Buffer) => boolean): Promise<void> {
    const until = performance.now() + ms;
    while (!this.ended && !(this.buf.length && complete(this.buf))) {
      const left = until - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Upgrades the connection to TLS where it stands (implicit TLS, or after a STARTTLS exchange). */
  async upgradeTls(o: TlsUpgrade): Promise<void> {
    // node:tls (and crypto behind it) loads at the first upgrade, not with every plain check.
    const { connect: tlsConnect } = await import('node:tls');
    const raw = this.socket;
    this.sentAny = true; // the ClientHello
    this.detach(raw);
    this.buf = Buffer.alloc(0);
    const t0 = performance.now();
    const secure: TLSSocket = tlsConnect({
      socket: raw,
      host: o.host,
      ...(o.servername ? { servername: o.servername } : {}),
      rejectUnauthorized: false,
      ...(o.ca ? { ca: o.ca } : {}),
    });
    this.socket = secure;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TlsFailure(`TLS handshake did not finish within ${Math.round(o.timeoutMs)}ms`, 'ETIMEDOUT')), o.timeoutMs);
      const done = (err?: Error) => {
        clearTimeout(timer);
        secure.removeListener('secureConnect', onSecure);
        secure.removeListener('error', onFail);
        secure.removeListener('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onSecure = () => done();
      const onFail = (err: NodeJS.ErrnoException) => done(new TlsFailure(`TLS handshake failed: ${err.code ? `${err.code} ` : ''}${err.message}`, err.code));
      const onClose = () => done(new TlsFailure('server closed the connection during the TLS handshake', 'ECONNRESET'));
      secure.once('secureConnect', onSecure);
      secure.once('error', onFail);
      secure.once('close', onClose);
    }).catch((err: unknown) => {
      secure.on('error', () => {});
      throw err;
    });
    this.tlsMs = performance.now() - t0;
    this.tls = tlsInfoOf(secure, o.servername);
    this.attach(secure);
    if (o.verify && !secure.authorized) {
      throw new TlsFailure(`certificate not trusted: ${this.tls.authorizationError ?? 'unknown reason'}`, this.tls.authorizationError);
    }
  }

  /**
   * Ends the conversation. A MySQL/MariaDB greeting nobody answered (a custom expect, a check that
   * only connects) is answered with a login first: a connection closed before a login counts towards
   * blocking porthole's host (see mysql-farewell.ts). When nothing has been said either way, it
   * listens up to `listenMs` for a server that speaks first before it says goodbye.
   */
  close(listenMs = 0): void {
    if (this.sentAny || this.tls) return this.closeNow();
    const release = holdClosing();
    const goodbye = async () => {
      if (this.firstBytes.length === 0 && listenMs > 0) await this.listenFirst(listenMs, firstPacketDone);
      const greeting = greetingIn(this.firstBytes);
      if (greeting) await finishMysqlLogin(this, greeting);
    };
    void goodbye()
      .catch(() => undefined)
      .finally(() => {
        this.closeNow();
        release();
      });
  }

  /** Hands the connection to the polite closer (FIN, or close_notify then FIN on TLS). */
  closeNow(): void {
    this.detach(this.socket);
    this.socket.on('error', () => {});
    closePolitely(this.socket);
  }
}
