import { Socket } from 'node:net';
import { classifyErrno } from './classify.js';
import { literalAddress, resolveHost, ResolveError, type Resolved } from './resolve.js';
import type { ProbeRequest, ProbeResult } from './types.js';

/** How long a politely closed socket may wait for the peer's FIN before it is destroyed. */
const CLOSE_GRACE_MS = 2_000;

let closing = 0;
/** Sockets still finishing their FIN exchange after a check (for leak tests and metrics). */
export function socketsClosing(): number {
  return closing;
}

/**
 * Closes an established socket the polite way: read and discard whatever the server sent (unread
 * data would turn close() into a RST), send FIN, and wait for the peer's FIN; destroy after a grace
 * period whatever happens.
 */
function closePolitely(socket: Socket): void {
  closing++;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    closing--;
    clearTimeout(grace);
    socket.destroy();
  };
  const grace = setTimeout(finish, CLOSE_GRACE_MS);
  grace.unref();
  socket.on('close', finish);
  socket.on('error', finish);
  socket.resume();
  socket.end();
}

function ignore(): void {}

/** One timed TCP handshake. Never throws; always releases the socket. */
export async function probeTcp(req: ProbeRequest): Promise<ProbeResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  let resolved: Resolved;
  try {
    // An address needs no resolver: skip the await so a literal costs no extra turn of the loop.
    resolved = literalAddress(req.host, req.family) ?? (await resolveHost(req.host, req.family, req.timeoutMs));
  } catch (err) {
    const code = err instanceof ResolveError ? err.code : 'ENOTFOUND';
    return {
      outcome: code === 'EAI_ADDRFAMILY' ? 'error' : 'dns',
      startedAt,
      dnsMs: performance.now() - t0,
      connectMs: null,
      totalMs: performance.now() - t0,
      errno: code,
      detail: (err as Error).message,
    };
  }
  const { address, family, dnsMs } = resolved;
  const remaining = Math.max(1, req.timeoutMs - (performance.now() - t0));

  return new Promise<ProbeResult>((resolve) => {
    const socket = new Socket();
    let settled = false;
    const tConnect = performance.now();
    const base = { startedAt, address, family, dnsMs };

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
      const connectMs = performance.now() - tConnect;
      settle({ ...base, outcome: 'open', connectMs, totalMs: performance.now() - t0 });
      closePolitely(socket);
    };
    const onError = (err: NodeJS.ErrnoException) => {
      socket.destroy();
      const code = err.code ?? 'UNKNOWN';
      settle({
        ...base,
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
        ...base,
        outcome: 'timeout',
        connectMs: null,
        totalMs: performance.now() - t0,
        errno: 'ETIMEDOUT',
        detail: `no answer from ${family === 6 ? `[${address}]` : address}:${req.port} within ${Math.round(req.timeoutMs)}ms`,
      });
    }, remaining);

    socket.once('connect', onConnect);
    socket.once('error', onError);
    socket.connect({ host: address, port: req.port, family });
  });
}
