import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTls } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/agent.js';
import { waitFor } from '../helpers/net.js';
import { accepts, RedisServer } from '../helpers/servers.js';
import { isRoot, which } from '../helpers/system.js';

/** PostgreSQL's server binaries (Debian keeps them out of PATH), when this machine has them. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

/** The uid of the system user postgres (initdb refuses to run as root). */
function postgresUid(): number | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

// Real servers on ports of the 40000-49999 range (the only range a scan of the host's loopback may
// touch); discover is told exactly these ports, so nothing else on the machine is contacted.

function listenOn(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

const taken = new Set<number>();
/** A port in 40000-49999 that nothing held a moment ago. */
async function freePortInRange(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port)) continue;
    const probe = createServer();
    if (await listenOn(probe, port)) {
      await new Promise<void>((r) => probe.close(() => r()));
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port in 40000-49999');
}

interface OpenEntry {
  port: number;
  service?: string;
  label?: string;
  how?: string;
  evidence?: string;
  tls?: boolean;
  confirmed?: boolean;
  identifyMs?: number;
}
interface Report {
  open: OpenEntry[];
  closed: number[];
  elapsedMs: number;
}

// Asynchronous on purpose: the HTTP and TLS servers live in this process and must go on answering.
async function discover(args: string[]): Promise<Report> {
  const r = await runCli(['discover', '127.0.0.1', '--json', ...args], {}, 60_000);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

describe('discover names the service on each open port (real servers)', { skip: which('redis-server') ? false : 'needs redis-server' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-ident-'));
  const servers: Server[] = [];
  const children: ChildProcess[] = [];
  let redis: RedisServer;
  const port: Record<string, number> = {};
  let openssl = false;
  const cleanup: string[] = [];

  before(async () => {
    port.redis = await freePortInRange();
    redis = new RedisServer(port.redis);
    await redis.start();

    port.http = await freePortInRange();
    const http = createHttp((_q, res) => res.end('hello'));
    assert.ok(await listenOn(http, port.http));
    servers.push(http);

    // A service that says nothing and answers nothing we ask: unnamed, a plain TCP target.
    port.silent = await freePortInRange();
    const silent = createServer((s) => {
      s.on('error', () => {});
      s.resume();
    });
    assert.ok(await listenOn(silent, port.silent));
    servers.push(silent);

    if (which('openssl')) {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=porthole-test'], { stdio: 'ignore' });
      const tlsOptions = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
      openssl = true;
      port.https = await freePortInRange();
      const https = createHttps(tlsOptions, (_q, res) => res.end('hello'));
      assert.ok(await listenOn(https, port.https));
      servers.push(https);
      // TLS that never says anything inside: "tls", written as tls: true.
      port.tls = await freePortInRange();
      const tls = createTls(tlsOptions, (s) => {
        s.on('error', () => {});
        s.resume();
      });
      assert.ok(await listenOn(tls, port.tls));
      servers.push(tls);
    }
    if (which('nats-server')) {
      port.nats = await freePortInRange();
      const p = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port.nats)], { stdio: 'ignore' });
      children.push(p);
      await waitFor('nats-server', () => accepts(port.nats!), 10_000, 50);
    }
    const pg = postgresBin();
    const pgUid = postgresUid();
    if (pg && isRoot && pgUid !== undefined && which('runuser')) {
      // Its own temp dir, owned by postgres: the test's dir is root's alone.
      const pgDir = mkdtempSync(join(tmpdir(), 'porthole-ident-pg-'));
      cleanup.push(pgDir);
      chownSync(pgDir, pgUid, -1);
      execFileSync('runuser', ['-u', 'postgres', '--', join(pg, 'initdb'), '-D', join(pgDir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync'], { stdio: 'ignore' });
      port.postgres = await freePortInRange();
      const p = spawn('runuser', ['-u', 'postgres', '--', join(pg, 'postgres'), '-D', join(pgDir, 'data'), '-p', String(port.postgres), '-k', pgDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { stdio: 'ignore' });
      children.push(p);
      await waitFor('postgres', () => accepts(port.postgres!), 20_000, 100);
    }
    if (which('mosquitto')) {
      port.mqtt = await freePortInRange();
      const p = spawn('mosquitto', ['-p', String(port.mqtt)], { stdio: 'ignore' });
      children.push(p);
      await waitFor('mosquitto', () => accepts(port.mqtt!), 10_000, 50);
    }
  });

  after(async () => {
    for (const s of servers) s.close();
    // runuser passes signals on to the server it started. SIGINT: PostgreSQL's fast shutdown (SIGTERM
    // waits for clients); then wait for each to exit, so no server outlives its data directory.
    for (const c of children) c.kill('SIGINT');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => { const t = setTimeout(() => { c.kill('SIGKILL'); r(undefined); }, 10_000); c.once('exit', () => { clearTimeout(t); r(undefined); }); }))));
    await redis?.dispose();
    rmSync(dir, { recursive: true, force: true });
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  it('each is named right, within its budget; the written config checks OK as written', async () => {
    const file = join(dir, 'found.json');
    const report = await discover(['--ports', Object.values(port).join(','), '--write', file]);
    const byPort = new Map(report.open.map((o) => [o.port, o]));
    const expect: [string, string, string | undefined][] = [
      ['redis', 'redis', 'answer'],
      ['http', 'http', 'answer'],
      ['silent', '?', undefined],
      ['https', 'https', 'answer'],
      ['tls', 'tls', 'answer'],
      ['nats', 'nats', 'greeting'],
      ['mqtt', 'mqtt', 'answer'],
      ['postgres', 'postgres', 'answer'],
    ];
    for (const [what, label, how] of expect) {
      if (port[what] === undefined) continue;
      const o = byPort.get(port[what]!);
      assert.ok(o, `${what} on ${port[what]} found open`);
      assert.equal(o.label ?? '?', label, `${what}: ${JSON.stringify(o)}`);
      assert.equal(o.how, how, `${what}: ${JSON.stringify(o)}`);
      // 3 s a port, plus scheduling slack on a busy machine.
      assert.ok((o.identifyMs ?? 0) < 4_500, `${what} took ${o.identifyMs} ms`);
    }
    assert.match(byPort.get(port.redis!)!.evidence ?? '', /PONG/);
    assert.match(byPort.get(port.http!)!.evidence ?? '', /^HTTP 200/);
    if (openssl) assert.match(byPort.get(port.tls!)!.evidence ?? '', /^TLSv1\.[23] CN=porthole-test$/);

    const cfg = JSON.parse(readFileSync(file, 'utf8')) as { targets: Record<string, unknown>[] };
    const target = (p: number) => cfg.targets.find((t) => t.port === p)!;
    assert.deepEqual(target(port.redis!), { name: `redis@127.0.0.1:${port.redis}`, host: '127.0.0.1', port: port.redis, service: 'redis', check: 'banner' });
    assert.deepEqual(target(port.http!), { name: `http@127.0.0.1:${port.http}`, host: '127.0.0.1', port: port.http, service: 'http', http: { path: '/' } });
    assert.deepEqual(target(port.silent!), { name: `127.0.0.1:${port.silent}`, host: '127.0.0.1', port: port.silent });
    if (openssl) {
      assert.deepEqual(target(port.https!), { name: `https@127.0.0.1:${port.https}`, host: '127.0.0.1', port: port.https, service: 'https', check: 'banner', tlsVerify: false, http: { path: '/' } });
      assert.deepEqual(target(port.tls!), { name: `tls@127.0.0.1:${port.tls}`, host: '127.0.0.1', port: port.tls, tls: true, tlsVerify: false });
    }
    // Every target passes its own check, layers and all: what discover wrote is what is there.
    const check = await runCli(['check', '--config', file, '--retries', '0'], {}, 60_000);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  it('nmap -sV names the redis the same', { skip: which('nmap') ? false : 'needs nmap' }, async () => {
    const xml = spawnSync('nmap', ['-sV', '-n', '-Pn', '-p', String(port.redis), '-oX', '-', '127.0.0.1'], { encoding: 'utf8', timeout: 120_000 }).stdout;
    const theirs = /<service name="([^"]+)"/.exec(xml)?.[1];
    const ours = (await discover(['--ports', String(port.redis)])).open[0]?.service;
    assert.equal(theirs, 'redis');
    assert.equal(ours, theirs);
  });

  it('--no-banners names from the port number only: a redis on another port is "?"', async () => {
    const report = await discover(['--ports', `${port.redis},${port.http}`, '--no-banners']);
    assert.deepEqual(
      report.open.map((o) => [o.port, o.label ?? '?']),
      [port.redis!, port.http!].sort((a, b) => a - b).map((p) => [p, '?']),
    );
  });
});
