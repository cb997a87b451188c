import { classifyErrno } from './classify.js';
import { CoarseDeadlines } from './deadlines.js';
import { kernelHandshake, reportedLocalPort } from './handshake-clock.js';
import { LingeringSocket, lingerThenClose } from './linger.js';
import { listenWindowMs } from './mysql-farewell.js';
import { literalAddress, notResolved, resolveHost, type Resolved } from './resolve.js';
import type { LookupAll, ProbeRequest, ProbeResult } from './types.js';

export { socketsClosing } from './close.js';

/**
 * One check: a timed TCP handshake, plus the layers the request asks for (banner, TLS, HTTP, every
 * address). Never throws; always releases the socket.
 */
export function probeTcp(req: ProbeRequest, lookupAll?: LookupAll): Promise<ProbeResult> {
  // The layers (TLS, HTTP, presets) load at the first check that asks for one: a plain one-shot
  // check starts without them.
  const options = req.options;
  if (options) return import('./layered.js').then((m) => m.probeLayered(req, options, lookupAll));
  return probeHandshake(req);
}

/**
 * One timed TCP handshake, judged as soon as it is established, then closed politely. Not an async
 * function: an address needs no resolver, so a literal costs no extra promise or turn of the loop.
 */
function probeHandshake(req: ProbeRequest): Promise<ProbeResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  let literal: Resolved | null | undefined = literals.get(req);
  if (literal === undefined) {
    try {
      literal = literalAddress(req.host, req.family) ?? null;
    } catch (err) {
      return Promise.resolve(notResolved(err, startedAt, t0));
    }
    literals.set(req, literal);
  }
  if (literal) return handshake(req, literal, startedAt, t0);
  return resolveHost(req.host, req.family, req.timeoutMs).then(
    (resolved) => handshake(req, resolved, startedAt, t0),
    (err: unknown) => notResolved(err, startedAt, t0),
  );
}

/** A request's host as an address, worked out once per request (the engine keeps one per target). */
const literals = new WeakMap<ProbeRequest, Resolved | null>();

/**
 * The socket of one plain check, carrying the check's state: its listeners and its timeout are shared
 * functions rather than closures made for every check.
 */
class CheckSocket extends LingeringSocket {
  tConnect = 0;
  /** The bucket of its timeout in `timeouts`. */
  timeoutTick = 0;

  constructor(
    readonly req: ProbeRequest,
    readonly resolved: Resolved,
    readonly startedAt: number,
    readonly t0: number,
    /** The check's promise, until it is settled. */
    public answer: ((r: ProbeResult) => void) | undefined,
  ) {
    super();
  }
}

function settle(s: CheckSocket, r: ProbeResult): void {
  const answer = s.answer;
  if (!answer) return;
  s.answer = undefined;
  timeouts.cancel(s, s.timeoutTick);
  answer(r);
}

function onConnect(this: CheckSocket): void {
  const jsMs = performance.now() - this.tConnect;
  const k = kernelHandshake(this);
  const connectMs = k ? k.ms : jsMs;
  const { address, family, dnsMs } = this.resolved;
  // One literal of one shape (no spreads): this runs for every open check.
  settle(this, {
    startedAt: this.startedAt,
    address,
    family,
    dnsMs,
    outcome: 'open',
    connectMs,
    clock: k ? 'kernel-tcp_info' : 'js-monotonic',
    localPort: k ? k.localPort : reportedLocalPort(this),
    totalMs: performance.now() - this.t0,
  });
  // The verdict is in; the goodbye (answering a server that speaks first, then FIN) happens after it.
  lingerThenClose(this, listenWindowMs(connectMs));
}

/** Before the verdict, the check's failure; after it, nothing to do ('close' ends the goodbye). */
function onError(this: CheckSocket, err: NodeJS.ErrnoException): void {
  if (!this.answer) return;
  this.destroy();
  const code = err.code ?? 'UNKNOWN';
  const { address, family, dnsMs } = this.resolved;
  settle(this, {
    startedAt: this.startedAt,
    address,
    family,
    dnsMs,
    outcome: classifyErrno(code),
    connectMs: null,
    totalMs: performance.now() - this.t0,
    errno: code,
    detail: err.message,
  });
}

/**
 * Every check's timeout on one shared timer, in 10 ms buckets (never early, at most a bucket late): a
 * Node timer each would cost a 270-byte Timeout object and a timer-list insert and removal per check.
 */
const timeouts = new CoarseDeadlines<CheckSocket>(10, onTimeout);

function onTimeout(s: CheckSocket): void {
  if (!s.answer) return;
  s.destroy();
  const { address, family, dnsMs } = s.resolved;
  settle(s, {
    startedAt: s.startedAt,
    address,
    family,
    dnsMs,
    outcome: 'timeout',
    connectMs: null,
    totalMs: performance.now() - s.t0,
    errno: 'ETIMEDOUT',
    detail: `no answer from ${family === 6 ? `[${address}]` : address}:${s.req.port} within ${Math.round(s.req.timeoutMs)}ms`,
  });
}

function handshake(req: ProbeRequest, resolved: Resolved, startedAt: number, t0: number): Promise<ProbeResult> {
  const remaining = Math.max(1, req.timeoutMs - (performance.now() - t0));
  return new Promise<ProbeResult>((resolve) => {
    const socket = new CheckSocket(req, resolved, startedAt, t0, resolve);
    socket.timeoutTick = timeouts.add(socket, remaining);
    socket.on('connect', onConnect);
    socket.on('error', onError);
    socket.tConnect = performance.now();
    socket.connect({ host: resolved.address, port: req.port, family: resolved.family });
  });
}
