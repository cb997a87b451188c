import { Socket } from 'node:net';
import { classifyErrno } from './classify.js';
import { kernelHandshake, reportedLocalPort, type HandshakeClock } from './handshake-clock.js';
import type { Outcome } from './types.js';

export type Connected = { ok: true; socket: Socket; connectMs: number; clock: HandshakeClock; localPort?: number };
export type NotConnected = { ok: false; outcome: Outcome; connectMs: null; errno: string; detail: string };

function ignore(): void {}

function where(address: string, family: 4 | 6, port: number): string {
  return `${family === 6 ? `[${address}]` : address}:${port}`;
}

/** The local port, when this process reports it (the addon reads it with the RTT, else Node). */
function localPortOf(port: number | undefined): { localPort?: number } {
  return port === undefined ? {} : { localPort: port };
}

/** One timed TCP handshake that hands the established socket over to the caller (who must close it). */
export function openConnection(address: string, family: 4 | 6, port: number, timeoutMs: number): Promise<Connected | NotConnected> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const t0 = performance.now();
    const settle = (r: Connected | NotConnected) => {
      clearTimeout(timer);
      socket.removeListener('connect', onConnect);
      socket.removeListener('error', onError);
      if (!r.ok) socket.on('error', ignore);
      resolve(r);
    };
    const onConnect = () => {
      const jsMs = performance.now() - t0;
      const k = kernelHandshake(socket);
      settle(k ? { ok: true, socket, connectMs: k.ms, clock: 'kernel-tcp_info', ...localPortOf(k.localPort) } : { ok: true, socket, connectMs: jsMs, clock: 'js-monotonic', ...localPortOf(reportedLocalPort(socket)) });
    };
    const onError = (err: NodeJS.ErrnoException) => {
      socket.destroy();
      const code = err.code ?? 'UNKNOWN';
      settle({ ok: false, outcome: classifyErrno(code), connectMs: null, errno: code, detail: err.message });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      settle({ ok: false, outcome: 'timeout', connectMs: null, errno: 'ETIMEDOUT', detail: `no answer from ${where(address, family, port)} within ${Math.round(timeoutMs)}ms` });
    }, Math.max(1, timeoutMs));
    socket.once('connect', onConnect);
    socket.once('error', onError);
    socket.connect({ host: address, port, family });
  });
}
