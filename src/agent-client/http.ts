import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface AgentEndpoint {
  /** e.g. http://127.0.0.1:9178 */
  url: string;
  token: string | undefined;
  /** For an agent serving HTTPS with a certificate of its own CA. */
  ca?: Buffer;
}

export class AgentHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

function send(ep: AgentEndpoint, method: string, path: string, body: unknown, timeoutMs: number): Promise<IncomingMessage> {
  const url = new URL(path, ep.url);
  const data = body === undefined ? undefined : JSON.stringify(body);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(ep.token ? { authorization: `Bearer ${ep.token}` } : {}),
          ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
        ...(ep.ca ? { ca: ep.ca } : {}),
        timeout: timeoutMs,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${ep.url} within ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One JSON request to the agent; a non-2xx answer throws AgentHttpError with the agent's reason. */
export async function agentJson<T>(ep: AgentEndpoint, method: string, path: string, body?: unknown, timeoutMs = 5000): Promise<T> {
  const res = await send(ep, method, path, body, timeoutMs);
  const text = await readBody(res);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const reason = parsed && typeof parsed === 'object' && 'error' in parsed ? String((parsed as { error: unknown }).error) : `HTTP ${status}`;
    throw new AgentHttpError(status, reason, parsed);
  }
  return parsed as T;
}

/** Opens the event stream; the caller reads the response body. */
export async function agentStream(ep: AgentEndpoint, path: string, timeoutMs = 5000): Promise<IncomingMessage> {
  const res = await send(ep, 'GET', path, undefined, timeoutMs);
  if (res.statusCode !== 200) {
    res.resume();
    throw new AgentHttpError(res.statusCode ?? 0, `event stream refused: HTTP ${res.statusCode}`);
  }
  res.socket.setTimeout(0);
  return res;
}
