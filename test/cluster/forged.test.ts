import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { distMissing, runCli } from '../helpers/agent.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { ensureResultsStream } from '../../src/cluster/stream.js';
import { resultSubject } from '../../src/cluster/names.js';
import { AT_WINDOW_MS, checkResultMessage, encodeResult, encodeResultMessage, resultMessage, type ResultMessage } from '../../src/cluster/result-message.js';
import { view } from '../ui/fixtures.js';
import type { Incident } from '../../src/engine/types.js';

const NOW = 1_800_000_000_000;
/** A v 1 body (it names its location and target itself), as agents before v 2 published. */
function msg(location: string, extra: Partial<ResultMessage> = {}): ResultMessage & { v: 1 } {
  return { v: 1, location, id: 'db.main', name: 'db', host: '127.0.0.1', port: 45432, at: NOW, state: 'DOWN', outcome: 'open', connectMs: 0.3, totalMs: 1, intervalMs: 1000, cause: 'exposed', ...extra };
}
const bytes = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));

describe('the stored form (v 2): location and target from the subject', () => {
  const m: ResultMessage = { location: 'fra-1', id: 'db.main', name: 'db.main', host: '127.0.0.1', port: 45432, at: NOW, state: 'UP', outcome: 'open', connectMs: 0.312, totalMs: 1.5, intervalMs: 1000 };
  it('round-trips through its subject, without repeating location, id or a name that is the id', () => {
    const out = encodeResultMessage(m);
    assert.equal(out.subject, resultSubject('fra-1', 'db.main'));
    assert.equal(out.msgId, `fra-1:db.main:${NOW}`);
    const body = JSON.parse(new TextDecoder().decode(out.payload)) as Record<string, unknown>;
    assert.equal(body.v, 2);
    assert.equal('location' in body || 'id' in body || 'name' in body, false);
    assert.deepEqual(checkResultMessage(out.payload, out.subject, NOW), m);
    const named = { ...m, name: 'main database' };
    assert.deepEqual(checkResultMessage(encodeResultMessage(named).payload, out.subject, NOW), named);
  });
  it('writes byte for byte what JSON.stringify made of the same fields, and the header the client would frame', () => {
    const stringified = (x: ResultMessage) =>
      JSON.stringify({ v: 2, name: x.name === x.id ? undefined : x.name, host: x.host, port: x.port, at: x.at, state: x.state, outcome: x.outcome, connectMs: x.connectMs, totalMs: x.totalMs, cause: x.cause, evidence: x.evidence, intervalMs: x.intervalMs, incident: x.incident });
    const odd: ResultMessage = { ...m, name: 'caf\u00e9 "db"\n\u001b[2J', connectMs: null, totalMs: Number.NaN, cause: 'exposed', evidence: 'ECONNREFUSED \\ \u2028', incident: 'db.main#1', at: NOW + 0.5 };
    for (const x of [m, odd, { ...m, cause: '', evidence: '' }]) {
      const out = encodeResultMessage(x);
      assert.equal(new TextDecoder().decode(out.payload), stringified(x));
      const h = headers();
      h.set('Nats-Msg-Id', out.msgId);
      assert.deepEqual(out.header, h.encode());
    }
  });
  it('encodes a view straight to the same bytes as through the message object', () => {
    const incident: Incident = { id: 'db#1', targetId: 'db', from: 'UP', to: 'DOWN', cause: 'refused', evidence: 'ECONNREFUSED', started: NOW, ended: null, durationMs: null };
    const views = [view('db', 'UP'), view('db', 'DOWN', { monitor: { cause: 'refused', evidence: 'x'.repeat(300), incident } }), view('db', 'RETRYING', { target: { id: 'db.main', name: 'main "db"' } })];
    for (const v of views) assert.deepEqual(encodeResult('fra-1', v, NOW + 0.25), encodeResultMessage(resultMessage('fra-1', v, NOW + 0.25)));
  });
  it('refuses a subject that is not a location name and a target, and a time a day off', () => {
    const { payload } = encodeResultMessage(m);
    assert.deepEqual(checkResultMessage(payload, 'porthole.result.a\u001b[2J.db', NOW), { drop: 'location' });
    assert.deepEqual(checkResultMessage(payload, 'porthole.result.a.b.db=2Emain', NOW), { drop: 'subject' });
    assert.deepEqual(checkResultMessage(payload, 'porthole.result.a', NOW), { drop: 'subject' });
    assert.deepEqual(checkResultMessage(payload, 'elsewhere.a.db', NOW), { drop: 'subject' });
    assert.deepEqual(checkResultMessage(encodeResultMessage({ ...m, at: 1e20 }).payload, resultSubject('fra-1', 'db.main'), NOW), { drop: 'time' });
  });
});

describe('a v 1 result from the stream is checked against its subject and the clock', () => {
  it('accepts a location speaking for itself', () => {
    const r = checkResultMessage(bytes(msg('fra-1')), resultSubject('fra-1', 'db.main'), NOW);
    assert.ok(!('drop' in r));
    assert.equal(r.location, 'fra-1');
  });
  it('refuses a location that is not a location name (control characters, dots)', () => {
    assert.deepEqual(checkResultMessage(bytes(msg('a\u001b[2J\u0007')), 'porthole.result.a.db=2Emain', NOW), { drop: 'location' });
    assert.deepEqual(checkResultMessage(bytes(msg('a.b')), 'porthole.result.a.b.db=2Emain', NOW), { drop: 'location' });
  });
  it('refuses one agent speaking for another, or for another target', () => {
    assert.deepEqual(checkResultMessage(bytes(msg('b')), resultSubject('a', 'db.main'), NOW), { drop: 'subject' });
    assert.deepEqual(checkResultMessage(bytes(msg('a', { id: 'other' })), resultSubject('a', 'db.main'), NOW), { drop: 'subject' });
  });
  it('refuses a time more than a day from now, either way; malformed is malformed', () => {
    const s = resultSubject('a', 'db.main');
    assert.deepEqual(checkResultMessage(bytes(msg('a', { at: 1e20 })), s, NOW), { drop: 'time' });
    assert.deepEqual(checkResultMessage(bytes(msg('a', { at: NOW - AT_WINDOW_MS - 1 })), s, NOW), { drop: 'time' });
    assert.ok(!('drop' in checkResultMessage(bytes(msg('a', { at: NOW - AT_WINDOW_MS + 1000 })), s, NOW)));
    assert.deepEqual(checkResultMessage(new TextEncoder().encode('{"v":1'), s, NOW), { drop: 'malformed' });
  });
});

describe('status --cluster with forged results in a real stream', { skip: distMissing || natsUnavailable() }, () => {
  let nats: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    nats = await NatsServer.onLoopback();
    nc = await connect({ servers: nats.url });
    await ensureResultsStream(nc, { maxAgeMs: 3_600_000, maxBytes: 8 * 1024 * 1024 });
    const js = jetstream(nc);
    const now = Date.now();
    // Forgeries: b's name on a's subject (kept as the newest of its subject on another target), a name
    // with escapes, a time far in the future (a RangeError in --json before).
    await js.publish(resultSubject('a', 'db.main'), bytes(msg('b', { at: now - 1 })));
    await js.publish(resultSubject('a', 'web'), bytes(msg('b', { id: 'web', name: 'web', at: now })));
    // The honest one: location a sees the port answer (UP).
    await js.publish(resultSubject('a', 'db.main'), bytes(msg('a', { at: now, state: 'UP', cause: undefined })));
    await js.publish('porthole.result.x.db=2Emain', bytes(msg('x\u001b[2J\u0007', { at: now })));
    await js.publish(resultSubject('c', 'db.main'), bytes(msg('c', { at: 1e20 })));
  });

  after(async () => {
    await nc?.close().catch(() => undefined);
    await nats?.dispose();
  });

  it('shows only the honest location, counts what it refused, never crashes or prints escapes', async () => {
    const json = await runCli(['status', '--cluster', nats.url, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { targets: { label: string; locations: { location: string }[] }[] };
    assert.equal(out.targets.length, 1);
    assert.equal(out.targets[0]?.label, 'UP');
    assert.deepEqual(out.targets[0]?.locations.map((l) => l.location), ['a']);
    assert.doesNotMatch(json.stderr, /RangeError/);
    assert.match(json.stderr, /refused /);
    const text = await runCli(['status', '--cluster', nats.url]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout + text.stderr, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.doesNotMatch(text.stdout, /EXPOSED/);
    // The newest of each subject is read: b's name on a's subject, the escapes, the time.
    assert.match(text.stderr, /refused 1 \(location or target not the subject's\), 1 \(not a location name\), 1 \(time more than a day off\)/);
  });
});
