import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { BUILTIN_DEFAULTS, resolveTarget } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { acceptsGzip, writeMetrics } from '../../src/metrics/http.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import { listen, waitFor, type Listener } from '../helpers/net.js';

function get(port: number, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('writeMetrics on a loopback HTTP server', () => {
  let svc: Listener;
  let engine: Engine;
  let metrics: Metrics;
  let server: Server;
  let port: number;

  before(async () => {
    svc = await listen();
    engine = new Engine({ targets: [resolveTarget({ name: 'svc', host: '127.0.0.1', port: svc.port, interval: 200 }, BUILTIN_DEFAULTS)], startSpreadMs: 0 });
    metrics = createMetrics({ source: engine, processMetrics: true });
    engine.start();
    server = createServer((req, res) => void writeMetrics(metrics, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    await waitFor('checked', () => engine.get('svc')!.checks > 0);
  });
  after(async () => {
    metrics.close();
    await engine.stop();
    await new Promise((resolve) => server.close(resolve));
    await svc.close();
  });

  it('gzip when the client accepts it (as Prometheus does), plain text otherwise, the same samples', async () => {
    const gz = await get(port, { 'accept-encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(Number(gz.headers['content-length']), gz.body.length);
    const unzipped = gunzipSync(gz.body).toString();
    assert.match(unzipped, /^process_resident_memory_bytes\{location="local"\} \d+$/m, 'process metrics when asked for');
    assert.match(unzipped, /^probe_success\{target="svc",host="127\.0\.0\.1",port="\d+",location="local"\} 1$/m);

    const plain = await get(port, {});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(Number(plain.headers['content-length']), plain.body.length);
    assert.match(plain.body.toString(), /^probe_success\{target="svc".*\} 1$/m);

    const head = await get(port, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('scrapes at once each get whole text: a block is reused only once its response is sent', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => get(port, i % 2 ? { 'accept-encoding': 'gzip' } : {})));
    // nodejs_gc_* appears at the process's first GC and gains rows as GCs of new kinds run: not the writer's to keep equal.
    const names = (text: string) => [...new Set(text.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('nodejs_gc_')).map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)?.[0]))];
    const texts = replies.map((r) => {
      assert.equal(Number(r.headers['content-length']), r.body.length);
      return (r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body).toString();
    });
    for (const t of texts) {
      for (const line of t.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? \S+$/);
      assert.deepEqual(names(t), names(texts[0]!));
    }
  });

  it('reads Accept-Encoding as HTTP means it', () => {
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('deflate, gzip;q=1.0, *;q=0.5'), true);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip('*'), true);
  });
});
