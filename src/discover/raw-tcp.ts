import { Socket } from 'node:net';

/**
 * Node's own TCP handle (libuv's uv_tcp_t), the object every net.Socket wraps. A scan of 10,000
 * ports spends most of its JavaScript time in net.Socket's stream set-up and teardown for
 * connections that are refused at once; dialling the handle directly does the same socket(),
 * connect() and close() system calls with about a third of the work, like nmap's connect scan.
 * It is reached through process.binding('tcp_wrap'), which Node keeps for compatibility but does not
 * document, so its shape is checked here and the scan falls back to net.Socket when it differs.
 */
export interface TcpHandle {
  connect(req: ConnectRequest, address: string, port: number): number;
  connect6(req: ConnectRequest, address: string, port: number): number;
  close(callback?: () => void): void;
  getsockname(out: { address?: string; port?: number }): number;
}

/** (status 0 or a negative errno, the handle) — Node passes more arguments that the scan does not use. */
export type ConnectDone = (status: number, handle: TcpHandle) => void;

export interface ConnectRequest {
  oncomplete: ConnectDone;
}

interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectRequest;
  constants: { SOCKET: number };
}

function load(): TcpWrapBinding | undefined {
  // Asked for plain sockets, or a run that turns internal-API warnings on: stay on the documented path.
  if (process.env.PORTHOLE_DISCOVER_SOCKETS === 'net') return undefined;
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('pending-deprecation'))) return undefined;
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== 'function') return undefined;
  try {
    const b = binding.call(process, 'tcp_wrap') as Partial<TcpWrapBinding> | undefined;
    if (typeof b?.TCP !== 'function' || typeof b.TCPConnectWrap !== 'function' || typeof b.constants?.SOCKET !== 'number') return undefined;
    const proto = b.TCP.prototype as Partial<TcpHandle>;
    if (typeof proto.connect !== 'function' || typeof proto.connect6 !== 'function' || typeof proto.close !== 'function' || typeof proto.getsockname !== 'function') return undefined;
    return b as TcpWrapBinding;
  } catch {
    return undefined;
  }
}

let cached: TcpWrapBinding | null | undefined;

/** The binding, or undefined where this Node does not offer it in the expected shape. */
export function tcpWrap(): TcpWrapBinding | undefined {
  if (cached === undefined) cached = load() ?? null;
  return cached ?? undefined;
}

/** Wraps an established handle in a net.Socket (as net.Server does for an accepted connection). */
export function adoptHandle(handle: TcpHandle): Socket {
  const options = { handle, readable: true, writable: true };
  return new Socket(options as ConstructorParameters<typeof Socket>[0]);
}
