import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { probeLayered } from '../../src/probe/layered.js';
import type { ConversationStep, ProbeOptions, ProbeResult } from '../../src/probe/types.js';
import { freePort } from '../helpers/net.js';
import { RedisServer } from '../helpers/servers.js';
import { which } from '../helpers/system.js';
import { TestPki } from './tls-certs.js';

function serve(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.on('error', () => {});
    onSocket(s);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** Calls `onLine` for every line the client sends (CRLF or LF). */
function lines(s: Socket | TLSSocket, onLine: (line: string) => void): void {
  let buf = '';
  s.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      onLine(line);
    }
  });
}

const check = (port: number, steps: ConversationStep[], more: ProbeOptions = {}, timeoutMs = 3000): Promise<ProbeResult> =>
  probeLayered({ host: '127.0.0.1', port, timeoutMs, family: 0 }, { steps, ...more });

describe('conversation steps against servers of the test\'s own', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });
  const start = async (onSocket: (s: Socket) => void) => {
    const { server, port } = await serve(onSocket);
    servers.push(server);
    return port;
  };

  describe('an IRC-like line protocol: PING :token answered with PONG :token from a capture', () => {
    let port = 0;
    const tokens: string[] = [];
    before(async () => {
      port = await start((s) => {
        const token = randomBytes(6).toString('hex');
        tokens.push(token);
        s.write(':irc.test NOTICE * :*** Looking up your hostname\r\n');
        let registered = false;
        lines(s, (line) => {
          if (!registered && line.startsWith('USER ')) {
            registered = true;
            s.write(':irc.test 375 porthole :- message of the day\r\n:irc.test 372 porthole :- PING :not-this-one\r\n');
            // A pause between lines: a step waits out its budget for its line, not the first quiet spell.
            setTimeout(() => s.write(`PING :${token}\r\n`), 450);
          } else if (line.startsWith('PONG ')) {
            if (line === `PONG :${token}`) s.write(':irc.test 001 porthole :Welcome to the test network\r\n');
            else s.end(`ERROR :Closing link (bad PONG ${line.slice(5, 40)})\r\n`);
          }
        });
      });
    });
    const steps = (pong: string): ConversationStep[] => [
      { send: 'NICK porthole\r\nUSER porthole 0 * :porthole\r\n' },
      { expect: '^PING :(\\S+)$' },
      { send: pong },
      { expect: '^:\\S+ 001 ' },
    ];

    it('answers the server\'s own token and sees the welcome', async () => {
      const r = await check(port, steps('PONG :${1}\r\n'));
      assert.equal(r.outcome, 'open', r.detail);
      assert.match(r.banner?.note ?? '', /^:irc\.test 001 porthole :Welcome/);
      assert.equal(r.banner?.matched, true);
    });

    it('a wrong answer fails at the step that waited for the welcome, with the server\'s last line as evidence', async () => {
      const r = await check(port, steps('PONG :wrong\r\n'));
      assert.equal(r.outcome, 'mismatch');
      assert.match(r.detail ?? '', /^step 4 of 4: server closed the connection after \d+ bytes, expected \/\^:\\S\+ 001 \/; last line "ERROR :Closing link \(bad PONG :wrong\)"$/);
      assert.equal(r.banner?.matched, false);
      assert.equal(r.banner?.expected, 'step 4 of 4: /^:\\S+ 001 /');
    });
  });

  describe('a custom protocol in several steps with named and numbered captures', () => {
    let port = 0;
    const received: string[] = [];
    // The challenge holds a backslash, "$" and "${1}": a capture is sent as the bytes it was, never decoded again.
    const challenge = 'c\\x41$${1}';
    before(async () => {
      port = await start((s) => {
        s.write(`HELLO proto/2 challenge=${challenge}\n`);
        lines(s, (line) => {
          received.push(line);
          if (line === `AUTH ${challenge} v2`) s.write('OK session=77 ttl=30\n');
          else if (line === 'GET 77 depth') s.write('VALUE depth 12\n');
          else if (line === 'BYE') s.end('BYE\n');
          else s.end(`ERR what is "${line}"\n`);
        });
      });
    });

    it('carries captures from one answer into later sends', async () => {
      const r = await check(port, [
        { expect: '^HELLO proto/(?<version>\\d+) challenge=(\\S+)$' },
        { send: 'AUTH ${2} v${version}\n' },
        { expect: '^OK session=(?<session>\\d+)' },
        { send: 'GET ${session} depth\n' },
        { expect: '^VALUE depth (\\d+)$' },
        { send: 'BYE\n' },
        { expect: '^BYE$' },
      ]);
      assert.equal(r.outcome, 'open', r.detail);
      assert.deepEqual(received.slice(-3), [`AUTH ${challenge} v2`, 'GET 77 depth', 'BYE']);
      assert.equal(r.banner?.note, 'BYE');
    });

    it('a step sent with "$$" sends one "$"; a wrong answer names its step', async () => {
      const r = await check(port, [{ expect: '^HELLO' }, { send: 'PRICE $$5\n' }, { expect: '^OK' }]);
      assert.equal(r.outcome, 'mismatch');
      assert.equal(received.at(-1), 'PRICE $5');
      assert.match(r.detail ?? '', /^step 3 of 3: .*expected \/\^OK\/; last line "ERR what is "PRICE \$5""$/);
    });
  });

  describe('${env:} in a send: filled in on the wire, hidden in everything the answer shows', () => {
    const secret = 'h3-s3cret-value';
    const heard: string[] = [];
    let port = 0;
    before(async () => {
      process.env.H3_STEPS_SECRET = secret;
      // A server that echoes the password it was given, as some do in their error lines.
      port = await start((s) => {
        s.write(`HELLO ${'.'.repeat(60)}\n`);
        lines(s, (line) => {
          heard.push(line);
          s.end(`ERR wrong password: ${line.slice(5)} (try again)\n`);
        });
      });
    });
    after(() => {
      delete process.env.H3_STEPS_SECRET;
    });

    it('steps: the server gets the value; the detail, the excerpt and the banner say [hidden]', async () => {
      const r = await check(port, [{ expect: '^HELLO' }, { send: 'AUTH ${env:H3_STEPS_SECRET}\n' }, { expect: '^OK' }]);
      assert.equal(heard.at(-1), `AUTH ${secret}`);
      assert.equal(r.outcome, 'mismatch');
      assert.match(r.detail ?? '', /last line "ERR wrong password: \[hidden\] \(try again\)"$/);
      const everything = JSON.stringify(r);
      assert.ok(!everything.includes(secret) && !everything.includes(secret.slice(0, 8)), everything);
      assert.match(r.banner?.text ?? '', /\[hidden\]/);
    });

    it('a single send does the same', async () => {
      const r = await probeLayered({ host: '127.0.0.1', port, timeoutMs: 3000, family: 0 }, { send: 'AUTH ${env:H3_STEPS_SECRET}\n', expect: 'OK' });
      assert.equal(heard.at(-1), `AUTH ${secret}`);
      assert.equal(r.outcome, 'mismatch');
      assert.ok(!JSON.stringify(r).includes(secret), JSON.stringify(r));
    });
  });

  describe('time: one budget for the whole sequence', () => {
    let slowPort = 0;
    let silentPort = 0;
    before(async () => {
      // Answers every line after 400 ms: each step alone would fit in 600 ms, two do not.
      slowPort = await start((s) => lines(s, (line) => setTimeout(() => s.writable && s.write(`ACK ${line}\n`), 400)));
      // Answers the first line, then never again.
      silentPort = await start((s) => {
        let n = 0;
        lines(s, (line) => {
          if (n++ === 0) s.write(`ACK ${line}\n`);
        });
      });
    });

    it('a step that gets no answer is a mismatch with the read timed out, within the read timeout', async () => {
      const t0 = performance.now();
      const r = await check(silentPort, [{ send: 'ONE\n' }, { expect: '^ACK ONE$' }, { send: 'TWO\n' }, { expect: '^ACK TWO$' }], { readTimeoutMs: 700 });
      const took = performance.now() - t0;
      assert.equal(r.outcome, 'mismatch');
      assert.equal(r.banner?.readTimedOut, true);
      assert.match(r.detail ?? '', /^step 4 of 4: no matching reply within the read timeout \(\d+ bytes\), expected \/\^ACK TWO\$\/; last line "ACK ONE"$/);
      // It waited out the budget, and not much more (a loaded machine adds scheduling delay).
      assert.ok(took >= 650 && took < 4000, `took ${took}`);
    });

    it('the budget is for the sequence, not per step: two 400 ms answers do not fit in 600 ms', async () => {
      const steps: ConversationStep[] = [{ send: 'A\n' }, { expect: '^ACK A$' }, { send: 'B\n' }, { expect: '^ACK B$' }];
      const short = await check(slowPort, steps, { readTimeoutMs: 600 });
      assert.equal(short.outcome, 'mismatch');
      assert.match(short.detail ?? '', /^step 4 of 4: no matching reply within the read timeout/);
      // Generous: the machine may be loaded; what matters is that the same steps pass with the budget they need.
      const enough = await check(slowPort, steps, { readTimeoutMs: 6000 });
      assert.equal(enough.outcome, 'open', enough.detail);
    });
  });

  describe('bytes held: lines already judged are let go, a line longer than maxBytes fails', () => {
    it('finds its line after 40 KB of other lines sent at once; an unfinished line over maxBytes fails', async () => {
      const motd = Array.from({ length: 400 }, (_, i) => `:irc.test 372 p :- line ${String(i).padStart(3, '0')} ${'.'.repeat(80)}\r\n`).join('');
      const port = await start((s) => s.write(`${motd}PING :after-the-motd\r\n${'x'.repeat(3000)}`));
      const r = await check(port, [{ expect: '^PING :(\\S+)$' }], { maxBytes: 1024 });
      assert.equal(r.outcome, 'open', r.detail);
      assert.equal(r.banner?.note, 'PING :after-the-motd');
      const long = await check(port, [{ expect: '^PING' }, { expect: '^never$' }], { maxBytes: 1024 });
      assert.equal(long.outcome, 'mismatch');
      assert.match(long.detail ?? '', /^step 2 of 2: a line longer than 1024 bytes \(maxBytes\), expected \/\^never\$\/; last line "PING :after-the-motd"$/);
      // Within the default (16 KiB) the unfinished line is judged once the server goes quiet.
      const quiet = await check(port, [{ expect: '^PING' }, { expect: '^x+$' }]);
      assert.equal(quiet.outcome, 'open', quiet.detail);
    });
  });

  describe('a line without its end is judged once the server goes quiet', () => {
    it('matches a prompt that ends without a newline', async () => {
      const port = await start((s) => {
        s.write('Welcome\r\nlogin: ');
        lines(s, (line) => s.write(line === 'guest' ? 'Password: ' : 'Login incorrect\r\n'));
      });
      const r = await check(port, [{ expect: '^login: $' }, { send: 'guest\r\n' }, { expect: '^Password:' }]);
      assert.equal(r.outcome, 'open', r.detail);
    });
  });
});

describe('STARTTLS mid-dialogue', { skip: which('openssl') ? false : 'needs the openssl CLI to make test certificates' }, () => {
  let pki: TestPki;
  const servers: { close(): unknown }[] = [];
  const ports: Record<string, number> = {};
  /** "* READY" → STARTTLS → "OK begin TLS" → handshake → WHO → "YOU ARE <protocol>" inside TLS. */
  const startTlsServer = async (label: string, cred: { key: string; cert: string }) => {
    const { server, port } = await serve((raw) => {
      raw.write('* READY proto\r\n');
      const onData = (d: Buffer) => {
        if (!d.toString().startsWith('STARTTLS')) return void raw.end('BAD\r\n');
        raw.removeListener('data', onData);
        raw.write('OK begin TLS\r\n', () => {
          const secure = new TLSSocket(raw, { isServer: true, ...cred });
          secure.on('error', () => {});
          lines(secure, (line) => {
            if (line === 'WHO') secure.write(`YOU ARE ${secure.getProtocol()}\r\n`);
          });
        });
      };
      raw.on('data', onData);
    });
    servers.push(server);
    ports[label] = port;
  };
  before(async () => {
    pki = new TestPki();
    // TLS from the first byte, then the same line protocol inside it.
    const implicit = createTlsServer(pki.leaf('st-implicit', 'localhost', 1, 120), (sock) => {
      sock.on('error', () => {});
      sock.write('* READY proto\r\n');
      lines(sock, (line) => line === 'WHO' && sock.write(`YOU ARE ${sock.getProtocol()}\r\n`));
    });
    servers.push(implicit);
    ports.implicit = await new Promise<number>((resolve) => implicit.listen(0, '127.0.0.1', () => resolve((implicit.address() as { port: number }).port)));
    // SMTP as blackbox_exporter's STARTTLS test talks to it: a multi-line EHLO reply, STARTTLS, EHLO again inside TLS.
    const smtpCred = pki.leaf('st-smtp', 'localhost', 1, 120);
    const smtp = await serve((raw) => {
      raw.write('220 mail.test ESMTP ready\r\n');
      const onData = (d: Buffer) => {
        const text = d.toString();
        if (text.startsWith('EHLO')) raw.write('250-mail.test\r\n250-STARTTLS\r\n250-8BITMIME\r\n250 HELP\r\n');
        else if (text.startsWith('STARTTLS')) {
          raw.removeListener('data', onData);
          raw.write('220 2.0.0 go ahead\r\n', () => {
            const secure = new TLSSocket(raw, { isServer: true, ...smtpCred });
            secure.on('error', () => {});
            lines(secure, (line) => {
              if (line.startsWith('EHLO')) secure.write('250-mail.test\r\n250-AUTH PLAIN\r\n250 HELP\r\n');
              else if (line === 'QUIT') secure.end('221 bye\r\n');
            });
          });
        }
      };
      raw.on('data', onData);
    });
    servers.push(smtp.server);
    ports.smtp = smtp.port;
    await startTlsServer('valid', pki.leaf('st-valid', 'localhost', 1, 120));
    await startTlsServer('self', pki.leaf('st-self', 'localhost', 0, 120, true));
    await startTlsServer('soon', pki.leaf('st-soon', 'localhost', 1, 5));
  });
  after(() => {
    for (const s of servers) s.close();
    pki?.dispose();
  });
  const steps: ConversationStep[] = [{ expect: '^\\* READY' }, { send: 'STARTTLS\r\n' }, { expect: '^OK' }, { starttls: true }, { send: 'WHO\r\n' }, { expect: '^YOU ARE (TLSv1\\.[23])$' }];
  const opts = (): ProbeOptions => ({ sni: 'localhost', tlsCa: pki.caFile });

  it('upgrades where it stands, talks inside TLS and checks the certificate as for "tls"', async () => {
    const r = await check(ports.valid!, steps, opts());
    assert.equal(r.outcome, 'open', r.detail);
    assert.ok(r.tls);
    assert.equal(r.tls.authorized, true);
    assert.match(r.tls.subject, /CN=localhost/);
    assert.ok(r.tls.daysToExpiry >= 118 && r.tls.daysToExpiry <= 120, String(r.tls.daysToExpiry));
    assert.ok(r.phases?.tlsMs !== null && (r.phases?.tlsMs ?? -1) >= 0);
    assert.match(r.banner?.note ?? '', /^YOU ARE TLSv1\.[23]$/);
    assert.equal(r.warning, undefined);
  });

  it('with "tls": true the steps talk inside TLS from the first byte', async () => {
    const r = await check(ports.implicit!, [{ expect: '^\\* READY' }, { send: 'WHO\r\n' }, { expect: '^YOU ARE TLSv1\\.[23]$' }], { ...opts(), tls: true });
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.tls?.authorized, true);
  });

  it('SMTP in steps: lines left over before STARTTLS are let go, EHLO again inside TLS', async () => {
    const r = await check(ports.smtp!, [
      { expect: '^220 .*ESMTP' },
      { send: 'EHLO prober.invalid\r\n' },
      { expect: '^250-STARTTLS' },
      { send: 'STARTTLS\r\n' },
      { expect: '^220 ' },
      { starttls: true },
      { send: 'EHLO prober.invalid\r\n' },
      { expect: '^250-AUTH' },
      { send: 'QUIT\r\n' },
      { expect: '^221 ' },
    ], opts());
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.tls?.authorized, true);
    assert.equal(r.banner?.note, '221 bye');
  });

  it('an untrusted certificate is cause tls, naming the step', async () => {
    const r = await check(ports.self!, steps, opts());
    assert.equal(r.outcome, 'tls');
    assert.match(r.detail ?? '', /^step 4 of 6 \(starttls\): certificate not trusted: /);
  });

  it('tlsVerify false accepts it on purpose; a certificate near expiry is the cert warning', async () => {
    const self = await check(ports.self!, steps, { ...opts(), tlsVerify: false });
    assert.equal(self.outcome, 'open', self.detail);
    assert.equal(self.tls?.authorized, false);
    const soon = await check(ports.soon!, steps, opts());
    assert.equal(soon.outcome, 'open', soon.detail);
    assert.equal(soon.warning?.cause, 'cert');
  });
});

describe('redis-server in two steps', { skip: which('redis-server') ? false : 'needs redis-server' }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
  });
  after(async () => {
    await redis?.dispose();
  });

  it('PING then INFO server: the version captured and echoed back', async () => {
    const r = await check(redis.port, [
      { send: 'PING\r\n' },
      { expect: '^\\+PONG$' },
      { send: 'INFO server\r\n' },
      { expect: '^redis_version:(\\S+)$' },
      { send: 'ECHO ${1}\r\n' },
      { expect: '^\\d+\\.\\d+' },
      { send: 'QUIT\r\n' },
      { expect: '^\\+OK$' },
    ]);
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.banner?.note, '+OK');
    assert.match(r.banner?.text ?? '', /^\+PONG/);
  });

  it('the version line as the last step is the note; a wrong expectation is a mismatch at its step', async () => {
    const ok = await check(redis.port, [{ send: 'PING\r\n' }, { expect: '^\\+PONG$' }, { send: 'INFO server\r\n' }, { expect: '^redis_version:(\\S+)$' }]);
    assert.equal(ok.outcome, 'open', ok.detail);
    assert.match(ok.banner?.note ?? '', /^redis_version:\d+\.\d+/);
    const wrong = await check(redis.port, [{ send: 'PING\r\n' }, { expect: '^\\+PONG$' }, { send: 'INFO server\r\n' }, { expect: '^redis_version:0\\.' }], { readTimeoutMs: 800 });
    assert.equal(wrong.outcome, 'mismatch');
    assert.match(wrong.detail ?? '', /^step 4 of 4: no matching reply within the read timeout/);
  });
});
