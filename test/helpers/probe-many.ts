/**
 * Runs one check many times in a row and prints how the outcomes came out, as JSON. The tests start
 * it inside a network namespace (`ip netns exec NS node --import tsx test/helpers/probe-many.ts JSON`),
 * where the test process itself cannot go.
 */
import { probeTcp, socketsClosing } from '../../src/probe/tcp.js';
import type { ProbeRequest } from '../../src/probe/types.js';

const { request, count } = JSON.parse(process.argv[2] ?? '{}') as { request: ProbeRequest; count: number };
const outcomes: Record<string, number> = {};
const details = new Set<string>();
for (let i = 0; i < Math.min(count, 1000); i++) {
  const r = await probeTcp(request);
  outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  details.add(r.banner?.note ?? r.detail ?? r.outcome);
}
const deadline = Date.now() + 10_000;
while (socketsClosing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(`${JSON.stringify({ outcomes, details: [...details].slice(0, 5), closing: socketsClosing() })}\n`);
