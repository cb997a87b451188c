// A target that arrives over the API may not name ${env:} references (the agent would send its own
// environment wherever the target points), and the API shows an API check's header values hidden while
// an edit made from that view keeps them.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, distMissing, startAgent, type AgentProcess } from '../helpers/agent.js';
import { listen, waitFor, type Listener } from '../helpers/net.js';

const SECRET = 'pw-7f3a9c1e55d0';
const LITERAL = 'Bearer literal-d41c8e77';

describe('targets from the API and secrets', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-tsec-'));
  const seen: IncomingHttpHeaders[] = [];
  const web = createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  let sink: Listener;
  let agent: AgentProcess;
  let webPort = 0;

  before(async () => {
    sink = await listen('127.0.0.1');
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as AddressInfo).port;
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      defaults: { interval: '1s', timeout: '1s', retries: 0 },
      targets: [{ name: 'api', kind: 'http', http: { url: `http://127.0.0.1:${webPort}/health`, headers: { Authorization: LITERAL } } }],
    }));
    agent = await startAgent({ config, dataDir: join(dir, 'data'), env: { PORTHOLE_TEST_SECRET: SECRET } });
  });
  after(async () => {
    await agent?.kill();
    await sink?.close();
    web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a target that names an ${env:} reference, and nothing is added', async () => {
    const r = await api<{ ok: boolean; problems?: { path: string; message: string }[] }>(agent.url, 'POST', '/api/v1/targets', agent.token, {
      target: { name: 'leak', host: '127.0.0.1', port: sink.port, send: 'x=${env:PORTHOLE_TEST_SECRET}\\r\\n' },
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.problems?.[0]?.path, 'send');
    assert.match(r.body.problems?.[0]?.message ?? '', /only from the config file/);
    assert.ok(!r.text.includes(SECRET));
    const snap = await api<{ targets: { target: { name: string } }[] }>(agent.url, 'GET', '/api/v1/snapshot', agent.token);
    assert.deepEqual(snap.body.targets.map((t) => t.target.name), ['api']);
  });

  it('shows a literal header value hidden, and an edit from that view keeps the real value', async () => {
    const snap = await api<{ targets: { target: { http: { headers: Record<string, string> } } }[] }>(agent.url, 'GET', '/api/v1/snapshot', agent.token);
    assert.ok(!snap.text.includes('literal-d41c8e77'), 'the header value is not served');
    const shown = snap.body.targets[0]!.target;
    // What a front end sends back: the block as it saw it, with only the interval changed.
    const edit = await api(agent.url, 'PUT', '/api/v1/targets/api', agent.token, { target: { name: 'api', kind: 'http', interval: '2s', http: shown.http } });
    assert.equal(edit.status, 200, edit.text);
    const before = seen.length;
    await waitFor('a check after the edit', () => seen.length > before + 1, 10_000);
    assert.equal(seen.at(-1)?.authorization, LITERAL, 'the server still gets the real header');
  });
});
