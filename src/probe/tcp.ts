import { Socket } from 'node:net';
import { classifyErrno } from './classify.js';
import { kernelHandshake } from './handshake-clock.js';
import { lingerThenClose } from './linger.js';
import { listenWindowMs } from './mysql-farewell.js';
import { literalAddress, notResolved, resolveHost, type Resolved } from './resolve.js';
import type { LookupAll, ProbeRequest, ProbeResult } from './types.js';

export { socketsClosing } from './close.js';

function ignore(): void {}

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
  let literal: Resolved | undefined;
  try {
    literal = literalAddress(req.host, req.family);
  } catch (err) {
    return Promise.resolve(notResolved(err, startedAt, t0));
  }
  if (literal) return handshake(req, literal, startedAt, t0);
  return resolveHost(req.host, req.family, req.timeoutMs).then(
    (resolved) => handshake(req, resolved, startedAt, t0),
    (err: unknown) => notResolved(err, startedAt, t0),
  );
}

function handshake(req: ProbeRequest, resolved: Resolved, startedAt: number, t0: number): Promise<ProbeResult> {
  const { address, family, dnsMs } = resolved;
  // Whole milliseconds: Node keeps one timer list per distinct duration, and a fractional one would
  // make a new list (and a priority-queue insert) for nearly every check.
  const remaining = Math.max(1, Math.ceil(req.timeoutMs - (performance.now() - t0)));

  return new Promise<ProbeResult>((resolve) => {
    const socket = new Socket();
    let settled = false;
    const tConnect = performance.now();

    const settle = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('connect', onConnect);
      socket.removeListener('error', onError);
      socket.on('error', ignore);
      resolve(r);
    };
    const onConnect = () => {
      const jsMs = performance.now() - tConnect;
      const k = kernelHandshake(socket);
      const connectMs = k ? k.ms : jsMs;
      // One literal of one shape (no spreads): this runs for every open check.
      settle({
        startedAt,
        address,
        family,
        dnsMs,
        outcome: 'open',
        connectMs,
        clock: k ? 'kernel-tcp_info' : 'js-monotonic',
        localPort: k ? k.localPort : socket.localPort,
        totalMs: performance.now() - t0,
      });
      // The verdict is in; the goodbye (answering a server that speaks first, then FIN) happens after it.
      lingerThenClose(socket, listenWindowMs(connectMs));
    };
    const onError = (err: NodeJS.ErrnoException) => {
      socket.destroy();
      const code = err.code ?? 'UNKNOWN';
      settle({
        startedAt,
        address,
        family,
        dnsMs,
        outcome: classifyErrno(code),
        connectMs: null,
        totalMs: performance.now() - t0,
        errno: code,
        detail: err.message,
      });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      settle({
        startedAt,
        address,
        family,
        dnsMs,
        outcome: 'timeout',
        connectMs: null,
        totalMs: performance.now() - t0,
        errno: 'ETIMEDOUT',
        detail: `no answer from ${family === 6 ? `[${address}]` : address}:${req.port} within ${Math.round(req.timeoutMs)}ms`,
      });
    }, remaining);

    // `on`, not `once` (which wraps each listener): settle removes both.
    socket.on('connect', onConnect);
    socket.on('error', onError);
    socket.connect({ host: address, port: req.port, family });
  });
}
