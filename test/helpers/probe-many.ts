/**
 * Runs one check many times in a row and prints how the outcomes came out, as JSON. The tests start
 * it inside a network namespace (`ip netns exec NS node --import tsx test/helpers/probe-many.ts JSON`),
 * where the test process itself cannot go.
 */
import { connect } from 'node:net';
import { lookup } from 'node:dns/promises';
import { scanPorts } from '../../src/discover/scan.js';
import { probeTcp, socketsClosing } from '../../src/probe/tcp.js';
import type { ProbeRequest, ProbeResult } from '../../src/probe/types.js';

/** What porthole's plain TCP check did before it answered greetings: connect, then FIN at once. */
function connectAndHangUp(host: string, port: number): Promise<Pick<ProbeResult, 'outcome' | 'detail'>> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.resume();
      s.end();
      s.once('close', () => resolve({ outcome: 'open' }));
    });
    s.once('error', (e) => resolve({ outcome: 'error', detail: e.message }));
  });
}

/** One port of `porthole discover`'s connect scan. */
async function scanOnce(host: string, port: number): Promise<Pick<ProbeResult, 'outcome' | 'detail'>> {
  const { address } = await lookup(host, { family: 4 });
  const [f] = await scanPorts(address, 4, [port], 1, 2000);
  return { outcome: f?.state === 'open' ? 'open' : 'error', detail: f?.state ?? 'none' };
}

const { request, count, hangUp, scan } = JSON.parse(process.argv[2] ?? '{}') as { request: ProbeRequest; count: number; hangUp?: boolean; scan?: boolean };
const outcomes: Record<string, number> = {};
const details = new Set<string>();
const firstByteMs: number[] = [];
for (let i = 0; i < Math.min(count, 1000); i++) {
  const r: Pick<ProbeResult, 'outcome' | 'detail' | 'banner' | 'phases'> = hangUp
    ? await connectAndHangUp(request.host, request.port)
    : scan
      ? await scanOnce(request.host, request.port)
      : await probeTcp(request);
  outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  if ('phases' in r && typeof r.phases?.firstByteMs === 'number') firstByteMs.push(r.phases.firstByteMs);
  details.add(r.banner?.note ?? r.detail ?? r.outcome);
}
const deadline = Date.now() + 10_000;
while (socketsClosing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(`${JSON.stringify({ outcomes, details: [...details].slice(0, 5), closing: socketsClosing(), maxFirstByteMs: firstByteMs.length ? Math.max(...firstByteMs) : null })}\n`);
