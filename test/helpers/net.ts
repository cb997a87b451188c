import { createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP listener the test controls; remembers its sockets so close() is immediate. */
export interface Listener {
  server: Server;
  port: number;
  host: string;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

export async function listen(host = '127.0.0.1', port = 0, onSocket?: (s: Socket) => void): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    if (onSocket) onSocket(s);
    else s.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return {
    server,
    port: addr.port,
    host,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago (bound then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const l = await listen(host);
  const p = l.port;
  await l.close();
  return p;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function hasIpv6Loopback(): Promise<boolean> {
  return listen('::1').then(
    async (l) => {
      await l.close();
      return true;
    },
    () => false,
  );
}
