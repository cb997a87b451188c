import assert from 'node:assert/strict';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createServer, TLSSocket, type Server } from 'node:tls';
import { conditionOf } from '../../src/engine/monitor.js';
import { probeTcp } from '../../src/probe/tcp.js';
import type { ProbeOptions } from '../../src/probe/types.js';
import { which } from '../helpers/system.js';
import { TestPki } from './tls-certs.js';

const skip = which('openssl') ? false : 'needs the openssl CLI to make test certificates';

function serve(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('TLS layer against local node:tls servers', { skip }, () => {
  let pki: TestPki;
  const servers: { close(): unknown }[] = [];
  const ports: Record<string, number> = {};
  const tlsServer = async (label: string, cred: { key: string; cert: string }) => {
    const s = createServer({ ...cred }, (sock) => {
      sock.on('error', () => {});
      sock.end();
    });
    servers.push(s);
    ports[label] = await serve(s);
  };

  before(async () => {
    pki = new TestPki();
    await tlsServer('valid', pki.leaf('valid', 'localhost', 1, 200));
    await tlsServer('soon', pki.leaf('soon', 'localhost', 1, 3));
    await tlsServer('expired', pki.leaf('expired', 'localhost', 30, -2));
    await tlsServer('self', pki.leaf('self', 'localhost', 0, 100, true));
    await tlsServer('wronghost', pki.leaf('wronghost', 'not-this-host.example', 1, 200));
    // A small SMTP server with STARTTLS on a valid certificate.
    const smtpCred = pki.leaf('smtp', 'localhost', 1, 200);
    const smtp = createTcpServer((raw: Socket) => {
      raw.on('error', () => {});
      raw.write('220 test ESMTP\r\n');
      let buf = '';
      const onData = (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('EHLO')) {
          buf = '';
          raw.write('250-test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
        } else if (buf.includes('STARTTLS')) {
          raw.removeListener('data', onData);
          raw.write('220 go ahead\r\n', () => {
            const secure = new TLSSocket(raw, { isServer: true, ...smtpCred });
            secure.on('error', () => {});
            secure.on('data', (q: Buffer) => {
              if (q.toString().startsWith('QUIT')) secure.end('221 bye\r\n');
            });
          });
        }
      };
      raw.on('data', onData);
    });
    servers.push(smtp);
    ports.smtp = await serve(smtp);
  });
  after(() => {
    for (const s of servers) s.close();
    pki?.dispose();
  });

  const check = (label: string, o: ProbeOptions, service?: string) =>
    probeTcp({ host: '127.0.0.1', port: ports[label]!, timeoutMs: 3000, family: 0, ...(service ? { service } : {}), options: { sni: 'localhost', tlsCa: pki.caFile, ...o } });

  it('valid certificate: open, with protocol, cipher, subject, issuer, days to expiry and a TLS phase', async () => {
    const r = await check('valid', { tls: true });
    assert.equal(r.outcome, 'open', r.detail);
    assert.ok(r.tls);
    assert.match(r.tls.protocol ?? '', /^TLSv1\.[23]$/);
    assert.ok(r.tls.cipher);
    assert.match(r.tls.subject, /CN=localhost/);
    assert.match(r.tls.issuer, /porthole test CA/);
    assert.ok(r.tls.daysToExpiry >= 198 && r.tls.daysToExpiry <= 200, String(r.tls.daysToExpiry));
    assert.equal(r.tls.authorized, true);
    assert.ok(r.phases && r.phases.tlsMs !== null && r.phases.connectMs !== null);
    assert.equal(r.warning, undefined);
    assert.equal(conditionOf(r, 1000).condition, 'UP');
  });

  it('expiring in 3 days: open but a SLOW-class cert warning', async () => {
    const r = await check('soon', { tls: true });
    assert.equal(r.outcome, 'open');
    assert.ok(r.tls!.daysToExpiry <= 3);
    assert.equal(r.warning?.cause, 'cert');
    const c = conditionOf(r, 1000);
    assert.equal(c.condition, 'SLOW');
    assert.equal(c.cause, 'cert');
    assert.match(c.evidence ?? '', /expires in \dd /);
    assert.equal((await check('soon', { tls: true, certWarnDays: 2 })).warning, undefined, 'under the configured threshold no warning');
  });

  it('expired: cause tls with CERT_HAS_EXPIRED', async () => {
    const r = await check('expired', { tls: true });
    assert.equal(r.outcome, 'tls');
    assert.match(r.detail ?? '', /CERT_HAS_EXPIRED/);
    assert.ok(r.tls!.daysToExpiry < 0);
    assert.equal(conditionOf(r, 1000).cause, 'tls');
  });

  it('self-signed: tls failure, accepted on purpose with tlsVerify false', async () => {
    const r = await check('self', { tls: true });
    assert.equal(r.outcome, 'tls');
    assert.match(r.detail ?? '', /SELF_SIGNED/);
    const ok = await check('self', { tls: true, tlsVerify: false });
    assert.equal(ok.outcome, 'open');
    assert.equal(ok.tls?.authorized, false);
  });

  it('wrong host name: tls failure naming the altname error', async () => {
    const r = await check('wronghost', { tls: true });
    assert.equal(r.outcome, 'tls');
    assert.match(r.detail ?? '', /ALTNAME|does not match|Hostname/i);
  });

  it('TLS spoken to a plain listener is a tls failure, not a hang', async () => {
    const plain = createTcpServer((s) => {
      s.on('error', () => {});
      s.end('220 plain\r\n');
    });
    const port = await serve(plain);
    try {
      const r = await probeTcp({ host: '127.0.0.1', port, timeoutMs: 2000, family: 0, options: { tls: true } });
      assert.equal(r.outcome, 'tls');
    } finally {
      plain.close();
    }
  });

  it('STARTTLS on SMTP: greeting, EHLO, STARTTLS, handshake, certificate read, QUIT', async () => {
    const r = await check('smtp', { starttls: true }, 'smtp');
    assert.equal(r.outcome, 'open', r.detail);
    assert.match(r.tls?.subject ?? '', /CN=localhost/);
    assert.equal(r.banner?.matched, true);
    assert.match(r.banner?.note ?? '', /^220/);
    assert.ok(r.phases!.firstByteMs !== null && r.phases!.tlsMs !== null);
  });
});
