import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TargetView } from '../../engine/types.js';
import type { Runtime } from '../../runtime/runtime.js';
import { tokenMatches } from '../token.js';
import { EventStream } from './event-stream.js';
import { API, type ActionResponse, type AgentInfo, type SnapshotBody, type StatusBody } from './wire.js';
import { toWireView } from './to-wire.js';

/** Largest request body accepted (a target in config form is a few hundred bytes). */
const MAX_BODY = 64 * 1024;

/** Answers GET /metrics (the metrics module's writeMetrics). */
export type MetricsEndpoint = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface AgentServerOptions {
  runtime: Runtime;
  token: string;
  info: AgentInfo;
  metrics?: MetricsEndpoint;
  /** Serve HTTPS directly with this certificate and key (PEM contents). */
  tls?: { cert: Buffer; key: Buffer };
}

export interface AgentServer {
  server: Server;
  stream: EventStream;
  /** Stops accepting, ends the event streams and open connections. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}

function targetOf(body: unknown): unknown {
  return body !== null && typeof body === 'object' && 'target' in body ? (body as { target: unknown }).target : undefined;
}

/**
 * The agent's HTTP endpoint: /metrics and /healthz for anyone who can reach it; the JSON snapshot,
 * the event stream and every action only with the token, even on loopback (every local user can
 * reach loopback). A request refused for want of the token changes nothing.
 */
export function startAgentServer(o: AgentServerOptions): AgentServer {
  const { runtime } = o;
  const status = (): StatusBody => {
    const maintenance: Record<string, string> = {};
    for (const v of runtime.feed.snapshot()) {
      const name = runtime.notify.maintenanceName(v.target);
      if (name) maintenance[v.target.id] = name;
    }
    return {
      at: Date.now(),
      counts: runtime.feed.stateCounts(),
      lastCheckAt: runtime.feed.lastCheckAt ?? null,
      totalChecks: runtime.engine.totalChecks,
      notice: runtime.notice() ?? null,
      channels: runtime.notify.health(),
      history: { file: runtime.history.file, problem: runtime.history.warning() ?? null },
      maintenance,
    };
  };
  const stream = new EventStream(runtime.feed, status);

  const uptimes = (views: readonly TargetView[]): SnapshotBody['uptime'] => {
    const uptime: SnapshotBody['uptime'] = {};
    for (const v of views) {
      const u = runtime.uptime.get(v.target.id);
      if (u) uptime[v.target.id] = u;
    }
    return uptime;
  };
  const snapshot = (): SnapshotBody => {
    const views = runtime.feed.snapshot();
    return { agent: o.info, defaults: runtime.defaults(), targets: views.map((v) => toWireView(v)), incidents: [...runtime.incidents.list()], uptime: uptimes(views), status: status() };
  };

  const act = (res: ServerResponse, result: ActionResponse, okStatus = 200): void => {
    sendJson(res, result.ok ? okStatus : 'problems' in result && result.problems ? 400 : 404, result);
  };
  const found = (ok: boolean, id: string): ActionResponse => (ok ? { ok: true, id } : { ok: false, error: `no target with id "${id}"` });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      const h = runtime.health();
      sendJson(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'degraded', ...h });
      return;
    }
    if (path === '/metrics' && (method === 'GET' || method === 'HEAD')) {
      if (!o.metrics) throw new HttpError(404, 'metrics are off');
      return o.metrics(req, res);
    }
    if (!path.startsWith('/api/')) throw new HttpError(404, `no such path: ${path}`);
    if (!tokenMatches(req.headers.authorization, o.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="porthole agent"');
      throw new HttpError(401, 'this needs the agent token (Authorization: Bearer TOKEN; the agent keeps it in agent.token in its data dir)');
    }

    if (path === API.snapshot && method === 'GET') return sendJson(res, 200, snapshot());
    if (path === API.uptime && method === 'GET') return sendJson(res, 200, uptimes(runtime.feed.snapshot()));
    if (path === API.events && method === 'GET') return stream.attach(res);
    if (path === API.reload && method === 'POST') {
      const report = await runtime.reload('request');
      return sendJson(res, report.ok ? 200 : 422, report);
    }
    if (path === API.toggleAll && method === 'POST') return sendJson(res, 200, { ok: true, did: runtime.actions.toggleAll() });
    if (path === API.targets && method === 'POST') {
      const r = runtime.actions.add(targetOf(await readJson(req)));
      return act(res, r.ok ? r : { ok: false, error: 'the target does not validate', problems: r.problems }, 201);
    }
    const m = /^\/api\/v1\/targets\/([^/]+)(?:\/(pause|resume|recheck))?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1] ?? '');
      const verb = m[2];
      if (verb && method === 'POST') {
        const ok = verb === 'pause' ? runtime.actions.pause(id) : verb === 'resume' ? runtime.actions.resume(id) : runtime.actions.recheck(id);
        return act(res, found(ok, id));
      }
      if (!verb && method === 'PUT') {
        if (!runtime.engine.has(id)) return act(res, found(false, id));
        const r = runtime.actions.edit(id, targetOf(await readJson(req)));
        return act(res, r.ok ? r : { ok: false, error: 'the target does not validate', problems: r.problems });
      }
      if (!verb && method === 'DELETE') return act(res, found(runtime.actions.remove(id), id));
      if (!verb && method === 'GET') {
        const v = runtime.feed.get(id);
        if (!v) return act(res, found(false, id));
        return sendJson(res, 200, toWireView(v));
      }
    }
    throw new HttpError(method === 'GET' || method === 'POST' || method === 'PUT' || method === 'DELETE' ? 404 : 405, `no such endpoint: ${method} ${path}`);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'internal error';
      sendJson(res, status, { ok: false, error: message });
    });
  };
  const server = o.tls ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 5_000;
  return {
    server,
    stream,
    close: () =>
      new Promise<void>((resolve) => {
        stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
