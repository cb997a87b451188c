import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, nkeys, type NatsConnection } from '@nats-io/transport-node';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';
import { AgentProcess, distMissing, startAgent } from '../helpers/agent.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { which } from '../helpers/system.js';
import { readStoredResults } from '../../src/cluster/read-results.js';

const skip = distMissing || natsUnavailable() || (which('openssl') ? false : 'needs openssl');

/**
 * A CA and a server certificate for localhost (from /etc/hosts: no query leaves the machine), made
 * with openssl in `dir`. The NATS client checks a certificate against the URL's host name; an
 * IP-address URL is checked as "localhost", so TLS URLs name the server.
 */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=porthole test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(f('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('san.ext'));
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

describe('joining a cluster: TLS with a private CA, user/password and NKey, secrets never shown', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-cluster-auth-'));
  let nats: NatsServer;
  let svc: Listener;
  let nc: NatsConnection;
  const agents: AgentProcess[] = [];
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  const PASSWORD = 'pw-0f-the-agent';
  let certs: { ca: string; cert: string; key: string };

  const agentWith = async (location: string, cluster: Record<string, unknown>, env: NodeJS.ProcessEnv) => {
    const file = join(dir, `${location}.json`);
    writeFileSync(file, JSON.stringify({ defaults: { interval: '1s', timeout: '1s', retries: 0 }, targets: [{ name: 'svc', host: '127.0.0.1', port: svc.port }], cluster: { url: `tls://localhost:${nats.port}`, location, tlsCa: certs.ca, ...cluster } }));
    const a = await startAgent({ config: file, dataDir: join(dir, location), env });
    agents.push(a);
    return a;
  };

  before(async () => {
    certs = makeCerts(dir);
    const conf = join(dir, 'nats.conf');
    writeFileSync(conf, `tls { cert_file: "${certs.cert}", key_file: "${certs.key}" }\nauthorization { users: [ { user: "agent", password: "${PASSWORD}" }, { nkey: "${user.getPublicKey()}" } ] }\n`);
    nats = new NatsServer('127.0.0.1', await freePort(), [], ['-c', conf]);
    await nats.start();
    svc = await listen('127.0.0.1');
    nc = await connect({ servers: `tls://localhost:${nats.port}`, user: 'agent', pass: PASSWORD, tls: { caFile: certs.ca } });
  });

  after(async () => {
    await nc?.close().catch(() => undefined);
    await Promise.allSettled(agents.map((a) => a.kill()));
    await svc?.close();
    await nats?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('user/password and an NKey seed from ${env:}, over TLS verified with the CA file: results reach the stream', async () => {
    const a = await agentWith('pw', { user: 'agent', password: '${env:NATS_PW}' }, { NATS_PW: PASSWORD });
    const b = await agentWith('nk', { nkey: '${env:NATS_SEED}' }, { NATS_SEED: seed });
    await waitFor('results from both', async () => {
      const r = await readStoredResults(nc, 'latest', 3000);
      return r.some((x) => x.message.location === 'pw') && r.some((x) => x.message.location === 'nk');
    }, 20_000, 250);
    for (const x of [a, b]) assert.doesNotMatch(x.stdout + x.stderr, new RegExp(`${PASSWORD}|${seed}`));
  });

  it('a wrong password: the agent says it cannot log in, keeps checking, and never prints the password', async () => {
    const c = await agentWith('bad', { user: 'agent', password: '${env:NATS_PW}' }, { NATS_PW: 'not-the-password' });
    const line = await waitFor('the warning', () => c.lines('warning').find((l) => /cluster: cannot reach NATS/.test(l)), 15_000, 100);
    assert.match(line, /authorization|authentication/i);
    assert.doesNotMatch(c.stdout + c.stderr, /not-the-password/);
    assert.ok(c.running, 'the agent goes on monitoring');
  });

  it('TLS without the CA: the certificate is refused (no silent downgrade)', async () => {
    const d = await agentWith('noca', { user: 'agent', password: '${env:NATS_PW}', tlsCa: undefined }, { NATS_PW: PASSWORD });
    const line = await waitFor('the warning', () => d.lines('warning').find((l) => /cluster: cannot reach NATS/.test(l)), 15_000, 100);
    assert.match(line, /certificate|self.signed|CERT/i);
  });
});
