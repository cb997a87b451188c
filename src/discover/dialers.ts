import { Socket } from 'node:net';
import { adoptHandle, tcpWrap, type TcpHandle } from './raw-tcp.js';

/**
 * One way of opening connections for the scan. `dial` starts a handshake and returns its handle, or
 * a negative errno when it could not even start (no file descriptor left, no route); `done` is
 * called once with 0 (established) or a negative errno. `drop` closes a handle in any state.
 */
export interface Dialer<H> {
  readonly kind: 'handle' | 'socket';
  dial(port: number, done: (status: number, h: H) => void): H | number;
  drop(h: H): void;
  /** The local port and address, to tell a self-connect from a listener. */
  local(h: H): { address?: string; port?: number };
  /** Hands an established connection over as a net.Socket. */
  adopt(h: H): Socket;
}

function handleDialer(address: string, family: 4 | 6): Dialer<TcpHandle> | undefined {
  const b = tcpWrap();
  if (!b) return undefined;
  const { TCP, TCPConnectWrap, constants } = b;
  return {
    kind: 'handle',
    dial(port, done) {
      const h = new TCP(constants.SOCKET);
      const req = new TCPConnectWrap();
      req.oncomplete = done;
      const err = family === 6 ? h.connect6(req, address, port) : h.connect(req, address, port);
      if (err === 0) return h;
      h.close();
      return err;
    },
    drop: (h) => h.close(),
    local(h) {
      const out: { address?: string; port?: number } = {};
      h.getsockname(out);
      return out;
    },
    adopt: adoptHandle,
  };
}

function ignore(): void {}

function socketDialer(address: string, family: 4 | 6): Dialer<Socket> {
  return {
    kind: 'socket',
    dial(port, done) {
      const s = new Socket();
      s.once('connect', () => {
        s.removeAllListeners('error');
        done(0, s);
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        s.removeAllListeners('connect');
        s.on('error', ignore);
        s.destroy();
        done(typeof err.errno === 'number' && err.errno < 0 ? err.errno : -1, s);
      });
      s.connect({ host: address, port, family });
      return s;
    },
    drop(s) {
      s.removeAllListeners('connect');
      s.on('error', ignore);
      s.destroy();
    },
    local: (s) => ({ ...(s.localAddress ? { address: s.localAddress } : {}), ...(s.localPort ? { port: s.localPort } : {}) }),
    adopt: (s) => s,
  };
}

/** Node's TCP handles where this Node offers them in the expected shape, else plain net.Sockets. */
export function pickDialer(address: string, family: 4 | 6): Dialer<TcpHandle> | Dialer<Socket> {
  return handleDialer(address, family) ?? socketDialer(address, family);
}
