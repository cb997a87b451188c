// Child process: opens N loopback listeners, prints their ports as one JSON line, serves until killed.
import { createServer, type Server } from 'node:net';

const n = Number(process.argv[2] ?? '1000');
const servers: Server[] = [];
const ports: number[] = [];
for (let i = 0; i < n; i++) {
  const s = createServer((sock) => {
    sock.on('error', () => {});
    sock.resume();
  });
  await new Promise<void>((resolve) => s.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => resolve()));
  const a = s.address();
  if (a && typeof a === 'object') ports.push(a.port);
  servers.push(s);
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
