import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { KINDS, describeEndpoint, endpointKey } from '../../src/checks/registry.js';
import { KIND_NAMES } from '../../src/checks/kind.js';
import { KIND_SCHEMAS } from '../../src/checks/schemas.js';
import { targetToConfig } from '../../src/config/display.js';
import { validateTarget } from '../../src/config/load.js';
import { BUILTIN_DEFAULTS, type Target } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { migrate } from '../../src/store/migrations.js';
import { openStore, SCHEMA_VERSION } from '../../src/store/index.js';
import { endpointCell } from '../../src/ui/model/rows.js';
import { summaryLine } from '../../src/notify/format.js';
import { createMetrics } from '../../src/metrics/index.js';
import { find, parseSamples, value } from '../metrics/exposition.js';
import { checkForm, emptyForm, fieldOf, fieldsFor, formFromTarget } from '../../src/ui/model/form.js';
import { freePort, waitFor } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const target = (raw: Record<string, unknown>): Target => {
  const r = validateTarget(raw, BUILTIN_DEFAULTS);
  assert.deepEqual(r.problems, []);
  return r.target!;
};

describe('the registry', () => {
  it('every kind has one entry here and one config line, with a Nagios label of its own', () => {
    assert.deepEqual(Object.keys(KINDS).sort(), [...KIND_NAMES].sort());
    assert.deepEqual(Object.keys(KIND_SCHEMAS).sort(), [...KIND_NAMES].sort());
    const labels = Object.values(KINDS).map((k) => k.label);
    assert.equal(new Set(labels).size, labels.length);
    for (const [name, k] of Object.entries(KINDS)) assert.equal(k.name, name);
  });

  it('a config without "kind" is tcp, unchanged; every kind describes its endpoint', () => {
    const tcp = target({ host: 'db1', port: 5432 });
    assert.equal(tcp.kind, 'tcp');
    assert.equal(tcp.name, 'db1:5432');
    assert.equal(tcp.service, 'postgres');
    assert.equal(describeEndpoint(tcp), 'db1:5432');
    assert.equal(describeEndpoint(target({ kind: 'ping', host: 'db1' })), 'ping db1');
    assert.equal(describeEndpoint(target({ kind: 'dns', host: '127.0.0.1', port: 5353, dns: { query: 'example.test' } })), 'dns A example.test @127.0.0.1:5353');
    assert.equal(endpointCell(target({ kind: 'ping', host: 'db1' }), 12), 'ping db1    ');
    assert.match(endpointCell(target({ host: 'a-long-database-host', port: 5432 }), 10), /^a-lo.*:5432$/, 'tcp keeps its port when cut');
    // A target from an older agent (no kind) is read as tcp.
    const old = { ...tcp } as Partial<Target>;
    delete old.kind;
    assert.equal(describeEndpoint(old as Target), 'db1:5432');
  });

  it('a target written back in config form reads back the same, for every kind', () => {
    const raws = [
      { host: 'db1', port: 6379, tls: true, tlsVerify: false },
      { kind: 'ping', host: 'db1', ping: { count: 10, lossWarn: 5, period: '50ms' } },
      { kind: 'ping', host: '::1' },
      { kind: 'dns', host: '127.0.0.1', port: 5353, dns: { query: 'example.test', type: 'MX', expect: ['10 mail.example.test'] } },
    ];
    for (const raw of raws) {
      const t = target(raw);
      const again = target(targetToConfig(t, BUILTIN_DEFAULTS));
      assert.deepEqual(again, t, JSON.stringify(raw));
    }
  });

  it('changing what a target checks (its kind or query) is a new endpoint; its interval is not', () => {
    const a = target({ id: 'x', kind: 'dns', host: '127.0.0.1', dns: { query: 'a.test' } });
    const b = target({ id: 'x', kind: 'dns', host: '127.0.0.1', dns: { query: 'b.test' } });
    const c = target({ id: 'x', kind: 'dns', host: '127.0.0.1', dns: { query: 'a.test' }, interval: '1m' });
    const d = target({ id: 'x', kind: 'ping', host: '127.0.0.1' });
    assert.notEqual(endpointKey(a), endpointKey(b));
    assert.equal(endpointKey(a), endpointKey(c));
    assert.notEqual(endpointKey(a), endpointKey(d));
  });
});

describe('history: migration 4 adds the kind and keeps old rows', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-kinds-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a schema-3 file opens, its TCP rows read as tcp, and ping samples keep their spread and loss', () => {
    const file = join(dir, 'history.sqlite');
    const old = new Database(file);
    migrate(old, 3);
    old.prepare("INSERT INTO targets (key, name, host, port, interval_ms, gap_limit_ms, first_seen, last_seen) VALUES ('pg', 'pg', 'db1', 5432, 10000, 60000, 1, 1)").run();
    old.prepare("INSERT INTO samples (target, at, outcome, state, dns_us, connect_us, cause) VALUES (1, 1000, 'open', 'UP', NULL, 1234, NULL)").run();
    old.close();

    const opened = openStore({ file });
    assert.ok(opened.ok);
    const db = opened.history.db;
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(db.prepare('SELECT key, kind FROM targets').all(), [{ key: 'pg', kind: 'tcp' }]);
    assert.deepEqual(db.prepare('SELECT connect_us, low_us, high_us, loss_pct FROM samples').get(), { connect_us: 1234, low_us: null, high_us: null, loss_pct: null });

    const w = new HistoryWriter(db);
    w.write([
      { kind: 'target', target: { key: 'ping db1', name: 'ping db1', host: 'db1', port: 0, kind: 'ping', intervalMs: 10000, gapLimitMs: 60000 }, at: 2000 },
      { kind: 'sample', sample: { targetKey: 'ping db1', at: 2000, outcome: 'open', state: 'UP', dnsMs: null, connectMs: 0.5, cause: null, lowMs: 0.25, highMs: 2, lossPct: 40 } },
    ]);
    assert.deepEqual(db.prepare("SELECT t.kind, s.connect_us, s.low_us, s.high_us, s.loss_pct FROM samples s JOIN targets t ON t.id = s.target WHERE t.key = 'ping db1'").get(), {
      kind: 'ping',
      connect_us: 500,
      low_us: 250,
      high_us: 2000,
      loss_pct: 40,
    });
    opened.history.close();
  });
});

describe('the engine and `check` run every kind', { skip: which('fping') ? false : 'needs fping' }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-kinds-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an engine with a ping target brings it UP, the median round trip in its recent times', async () => {
    const e = new Engine({ targets: [target({ kind: 'ping', host: '127.0.0.1', interval: '1s', ping: { count: 3, period: '20ms' } })], startSpreadMs: 0 });
    e.start();
    try {
      const v = await waitFor('UP', () => e.snapshot().find((x) => x.monitor.state === 'UP'), 10_000);
      assert.equal(v.lastResult?.ping?.received, 3);
      assert.equal([...v.recent].at(-1), v.lastResult?.ping?.medianMs);
    } finally {
      await e.stop();
    }
  });

  it('check names the kind in its plugin line: PING OK, DNS CRITICAL, TCP CRITICAL', async () => {
    const closed = await freePort();
    const file = join(dir, 'kinds.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          { name: 'lo ping', kind: 'ping', host: '127.0.0.1', ping: { count: 2, period: '20ms' } },
          { name: 'lo dns', kind: 'dns', host: '127.0.0.1', port: closed, timeout: '500ms', dns: { query: 'example.test' } },
          { name: 'lo tcp', host: '127.0.0.1', port: closed },
        ],
      }),
    );
    const r = spawnSync(process.execPath, [CLI, 'check', '--retries', '0', '--config', file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^PING OK - lo ping: [\d.]+ second response time to 127\.0\.0\.1 \[0% loss, rtt min\/median\/max /);
    assert.match(lines[1]!, /^DNS CRITICAL - lo dns: /);
    assert.match(lines[2]!, /^TCP CRITICAL - lo tcp: Connection refused on 127\.0\.0\.1 port \d+/);
    const j = spawnSync(process.execPath, [CLI, 'check', '--json', '--retries', '0', '--config', file], { encoding: 'utf8', timeout: 30_000 });
    const json = JSON.parse(j.stdout) as { results: Record<string, unknown>[] };
    assert.equal(json.results[0]!.kind, 'ping');
    assert.equal(json.results[0]!.check, 'ping 127.0.0.1');
    assert.equal('port' in json.results[0]!, false);
    assert.equal((json.results[0]!.ping as { sent: number }).sent, 2);
  });
});

describe("the console's add/edit form offers the kind and its options", () => {
  it('shows the port only for kinds that have one, then the kind\'s own options', () => {
    const keys = (v: Record<string, string>) => fieldsFor(v).map((f) => f.key);
    assert.deepEqual(keys({}), ['name', 'host', 'port', 'interval', 'timeout', 'kind', 'retries', 'tags']);
    assert.deepEqual(keys({ kind: 'ping' }), ['name', 'host', 'interval', 'timeout', 'kind', 'ping.count', 'ping.lossWarn', 'retries', 'tags']);
    assert.deepEqual(keys({ kind: 'dns' }), ['name', 'host', 'port', 'interval', 'timeout', 'kind', 'dns.query', 'dns.type', 'dns.expect', 'retries', 'tags']);
    assert.deepEqual(keys({ kind: 'domain' }), ['name', 'host', 'interval', 'timeout', 'kind', 'domain.bootstrapUrl', 'domain.rdapServer', 'domain.domainWarnDays', 'retries', 'tags']);
  });

  it('validates with the config schema, each error under its field', () => {
    const bad = checkForm({ ...emptyForm(), kind: 'ping', host: '127.0.0.1', 'ping.count': 'many' }, BUILTIN_DEFAULTS, []);
    assert.equal(bad.target, undefined);
    assert.equal(fieldOf(bad.problems[0]!), 'ping.count');
    const noQuery = checkForm({ ...emptyForm(), kind: 'dns', host: '127.0.0.1' }, BUILTIN_DEFAULTS, []);
    assert.deepEqual(noQuery.problems.map(fieldOf), ['dns.query']);
    const wrongKind = checkForm({ ...emptyForm(), kind: 'smtpx', host: 'h', port: '25' }, BUILTIN_DEFAULTS, []);
    assert.equal(fieldOf(wrongKind.problems[0]!), 'kind');
    const ok = checkForm({ ...emptyForm(), kind: 'dns', host: '127.0.0.1', port: '5353', 'dns.query': 'example.test', 'dns.type': 'mx', 'dns.expect': '10 mail.example.test, 20 backup.example.test' }, BUILTIN_DEFAULTS, []);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.target?.dns, { query: 'example.test', type: 'MX', expect: ['10 mail.example.test', '20 backup.example.test'] });
  });

  it('editing reads the target back into the form, and a new kind drops the old kind\'s settings', () => {
    const dns = target({ id: 'd', kind: 'dns', host: '127.0.0.1', port: 5353, dns: { query: 'example.test', type: 'TXT', expect: ['hello'] } });
    const values = formFromTarget(dns, BUILTIN_DEFAULTS);
    assert.equal(values['dns.query'], 'example.test');
    assert.equal(values['dns.expect'], 'hello');
    assert.deepEqual(checkForm(values, BUILTIN_DEFAULTS, [dns], dns).target, dns);
    const tls = target({ id: 'r', host: '127.0.0.1', port: 6380, tls: true });
    const asPing = checkForm({ ...formFromTarget(tls, BUILTIN_DEFAULTS), kind: 'ping' }, BUILTIN_DEFAULTS, [tls], tls);
    assert.deepEqual(asPing.problems, []);
    assert.equal(asPing.target?.kind, 'ping');
    assert.equal(asPing.target?.probe, undefined);
    assert.equal(asPing.target?.port, 0);
  });
});

describe('alerts name what a kind checks', () => {
  it('a ping or dns alert says "ping db1", never "db1:0"', () => {
    const base = { alertId: 'a1', kind: 'down' as const, targetId: 't', host: 'db1', port: 0, from: 'UP', to: 'DOWN', cause: 'timeout', evidence: 'no echo reply', started: 1, at: 2, location: 'local' };
    const one = summaryLine({ id: 'a1', kind: 'down', items: [{ ...base, name: 'ping db1', check: 'ping db1' }] });
    assert.equal(one, 'DOWN ping db1: timeout');
    const two = summaryLine({
      id: 'a1',
      kind: 'down',
      items: [
        { ...base, name: 'ping db1', check: 'ping db1' },
        { ...base, alertId: 'a2', name: 'pg', port: 5432, service: 'postgres', cause: 'timeout' },
      ],
    });
    assert.match(two, /ping db1 timeout, 5432 timeout/);
    assert.doesNotMatch(two, /db1:0|\b0 timeout/);
  });
});

describe('/metrics carries each kind\'s own series', { skip: which('fping') ? false : 'needs fping' }, () => {
  it('a ping target: probe_success, its loss ratio and jitter, and no port label', async () => {
    const engine = new Engine({ targets: [target({ name: 'lo', kind: 'ping', host: '127.0.0.1', interval: '1s', ping: { count: 3, period: '20ms' } })], startSpreadMs: 0 });
    const metrics = createMetrics({ source: engine, location: 'lab' });
    engine.start();
    try {
      const s = await waitFor('ping in /metrics', async () => {
        const s = parseSamples(await metrics.render());
        return value(s, 'probe_success', { target: 'lo' }) === 1 && s;
      });
      assert.equal(value(s, 'probe_icmp_packet_loss_ratio', { target: 'lo' }), 0);
      assert.ok(value(s, 'probe_icmp_rtt_jitter_seconds', { target: 'lo' })! >= 0);
      assert.equal(find(s, 'probe_success', { target: 'lo' })[0]!.labels.port ?? '', '');
      assert.equal(find(s, 'probe_dns_answer_rrs').length, 0, 'no dns target, no dns series');
    } finally {
      metrics.close();
      await engine.stop();
    }
  });
});

describe('a one-shot check stays cheap to start', () => {
  it('`porthole check HOST:PORT` loads no kind but tcp, and neither zod nor SQLite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-load-'));
    try {
      // A module hook that writes every module the process loads to a file.
      const log = join(dir, 'loaded.txt');
      const hooks = join(dir, 'hooks.mjs');
      writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
      const register = join(dir, 'register.mjs');
      writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
      const r = spawnSync(process.execPath, ['--import', register, CLI, 'check', '--retries', '0', '127.0.0.1:1'], { encoding: 'utf8', timeout: 30_000 });
      assert.match(r.stdout, /^TCP CRITICAL/);
      const loaded = readFileSync(log, 'utf8');
      assert.match(loaded, /dist\/checks\/registry\.js/);
      for (const heavy of [/node_modules\/zod\//, /node_modules\/better-sqlite3\//, /dist\/checks\/ping\/run\.js/, /dist\/checks\/dns\/run\.js/, /dist\/checks\/http\/check\.js/, /dist\/checks\/domain\/check\.js/, /schema\.js/]) {
        assert.doesNotMatch(loaded, heavy);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
