import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort } from '../helpers/net.js';
import { connectCluster, linkErrorText } from '../../src/cluster/connect.js';
import { CLUSTER_DEFAULTS, resolveCluster } from '../../src/config/cluster-schema.js';
import { clusterLines } from '../../src/ui/model/cluster-rows.js';

describe("the cluster console's link problem in its header", () => {
  const SECRET = 'tok-s3cret-value';
  const c = resolveCluster({ url: 'nats://127.0.0.1:4', location: 'a', token: SECRET });

  it('redacts the secrets and strips control characters from a NATS error', () => {
    const text = linkErrorText(c, new Error(`auth failed for ${SECRET}\u001b[2J\u0007 at server`));
    assert.doesNotMatch(text, /s3cret/);
    assert.doesNotMatch(text, /[\u0000-\u001f\u007f]/);
    assert.match(text, /auth failed for \*\*\*/);
    const header = clusterLines([], [], { columns: 200, rows: 10 }, 0, `porthole cluster nats://x  NATS unreachable (${text})`)[0]?.text ?? '';
    assert.doesNotMatch(header, /[\u0000-\u001f\u007f]|s3cret/);
  });

  it('a real failure to connect (nothing listening on a loopback port) gives a printable line without the URL password', async () => {
    const port = await freePort();
    const pw = 'pw-in-the-url-1';
    const inUrl = resolveCluster({ url: `nats://agent:${pw}@127.0.0.1:${port}`, location: 'a' });
    assert.equal(inUrl.streamMaxAgeMs, CLUSTER_DEFAULTS.streamMaxAgeMs);
    let seen: string | undefined;
    let tries = 0;
    await connectCluster(inUrl, 'test', { reconnectWaitMs: 50 }, () => tries >= 1, (err) => {
      tries++;
      seen = linkErrorText(inUrl, err);
    });
    assert.ok(seen, 'a failure was reported');
    assert.doesNotMatch(seen, /pw-in-the-url/);
    assert.doesNotMatch(seen, /[\u0000-\u001f\u007f]/);
  });
});
