import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Which clock a handshake time comes from. */
export type HandshakeClock = 'kernel-tcp_info' | 'js-monotonic';

interface TcpInfoAddon {
  read(fd: number, out: Int32Array, withLocalPort: boolean): boolean;
}

/** Where the addon lands after `npm install` (src/native/build.mjs), from dist/probe or src/probe alike. */
const ADDON = '../../src/native/build/Release/porthole_tcp_info.node';
/** tcpi_state while the SYN is still unanswered; any later state (a server may already have closed) has its sample. */
const TCP_SYN_SENT = 2;

let addon: TcpInfoAddon | null | undefined;
let why = '';
/** [rtt_us, total_retrans, state, local_port], filled by the addon: no allocation per check. */
const out = new Int32Array(4);

/**
 * Whether checks report their local port (to pair them with a capture or a server's log). It costs a
 * getsockname per check (≈1–2 µs, a second syscall next to TCP_INFO's), so a long-running process
 * pays it only when asked (PORTHOLE_LOCAL_PORT=1); a one-shot `porthole check` always reports it.
 */
let withLocalPort: boolean | undefined;

/** Read on the first check, not at load: a bundle evaluates this module before the command runs. */
function localPorts(): boolean {
  return (withLocalPort ??= process.env.PORTHOLE_LOCAL_PORT === '1');
}

/** Turn the local port in results on or off for this process. */
export function reportLocalPorts(on: boolean): void {
  withLocalPort = on;
}

/** The local port as Node sees it, when ports are reported (the JS-clock path). */
export function reportedLocalPort(socket: Socket): number | undefined {
  return localPorts() ? socket.localPort : undefined;
}

function load(): TcpInfoAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.PORTHOLE_HANDSHAKE_CLOCK === 'js') why = 'PORTHOLE_HANDSHAKE_CLOCK=js';
  else if (process.platform !== 'linux') why = 'the kernel clock is Linux-only';
  else {
    try {
      // process.dlopen, not require(): the same load without starting CommonJS resolution (≈1 ms of a
      // one-shot check's start).
      const m = { exports: {} };
      process.dlopen(m, fileURLToPath(new URL(ADDON, import.meta.url)));
      addon = m.exports as TcpInfoAddon;
    } catch (err) {
      why = `the TCP_INFO addon did not load: ${(err as Error).message.split('\n')[0]}; rebuild it with \`node src/native/build.mjs\``;
    }
  }
  return addon;
}

/** The clock handshake times come from in this process, and why when it is not the kernel's. */
export function handshakeClock(): { clock: HandshakeClock; why?: string } {
  return load() ? { clock: 'kernel-tcp_info' } : { clock: 'js-monotonic', why };
}

interface SocketHandle {
  _handle?: { fd?: number } | null;
}

/**
 * Read right after `connect`, before anything is sent: the kernel's SYN→SYN-ACK RTT (ms) and, when
 * ports are reported, the local port. No figure when the addon is missing, the socket has no fd, the handshake has not completed,
 * or the SYN was retransmitted (Karn: then the sample would time the last SYN only, and the wait
 * before it is part of what the user waited for, so the JS clock speaks).
 */
export function kernelHandshake(socket: Socket): { ms: number; localPort: number | undefined } | undefined {
  const a = load();
  const fd = (socket as unknown as SocketHandle)._handle?.fd;
  if (!a || typeof fd !== 'number' || fd < 0 || !a.read(fd, out, localPorts())) return undefined;
  if (out[2] === TCP_SYN_SENT || out[1] !== 0 || out[0]! <= 0) return undefined;
  return { ms: out[0]! / 1000, localPort: out[3]! > 0 ? out[3] : undefined };
}
