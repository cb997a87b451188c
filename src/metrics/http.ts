import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Metrics } from './index.js';

const gzipAsync = promisify(gzip);

/** Whether the client takes gzip (Prometheus always asks for it), per its Accept-Encoding. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Answers a GET /metrics: the exposition text, gzipped when the client accepts it. At 5,000 targets
 * the text is over 10 MB and gzip brings it to about a twentieth (bench/metrics); the compression
 * runs on libuv's thread pool, off the event loop. Routing and access control stay with the server.
 */
export async function writeMetrics(metrics: Metrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text: Buffer;
  try {
    text = await metrics.renderBuffer();
  } catch {
    // No detail: an error from a callback could carry text that does not belong on an open endpoint.
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('metrics could not be collected\n');
    return;
  }
  const headers: Record<string, string> = { 'content-type': metrics.contentType, vary: 'Accept-Encoding' };
  if (acceptsGzip(req.headers['accept-encoding'])) {
    const body = await gzipAsync(text, { level: 1 });
    res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': String(text.length) });
  res.end(req.method === 'HEAD' ? undefined : text);
}
