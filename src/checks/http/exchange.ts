import { request as httpRequest, type IncomingHttpHeaders, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { classifyErrno } from '../../probe/classify.js';
import { ResolveError, resolveHost } from '../../probe/resolve.js';
import { tlsInfoOf } from '../../probe/tls-info.js';
import type { Outcome, TlsInfo } from '../../probe/types.js';

/**
 * One HTTP request and its answer over a connection of its own (no pooling: every check measures a
 * fresh DNS lookup, handshake and TLS setup), each phase timed on the monotonic clock. The body is
 * read up to a cap and the connection is closed there; nothing past the cap is read.
 */

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  family: 0 | 4 | 6;
  /** performance.now() by which everything must be done. */
  deadline: number;
  tls: { verify: boolean; ca?: string[]; servername?: string };
  maxBodyBytes: number;
}

export interface ExchangeTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** From the request written (connected, or TLS up) to the response head. */
  firstByteMs: number | null;
}

export interface ExchangeResult extends ExchangeTimings {
  address: string;
  family: 4 | 6;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  tls?: TlsInfo;
}

type Phase = 'dns' | 'connect' | 'tls' | 'response' | 'body';

const PHASE_WORDS: Record<Phase, string> = {
  dns: 'resolving the name',
  connect: 'the TCP handshake',
  tls: 'the TLS handshake',
  response: 'the response head',
  body: 'the response body',
};

/** Codes node and OpenSSL give when a certificate or the TLS handshake is refused. */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|ERR_OSSL_)/;

export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly outcome: Outcome,
    readonly timings: ExchangeTimings,
    readonly errno?: string,
    readonly address?: string,
    readonly family?: 4 | 6,
    readonly tls?: TlsInfo,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

class Timeout extends Error {
  readonly code = 'ETIMEDOUT';
}

export async function exchange(req: ExchangeRequest): Promise<ExchangeResult> {
  const timings: ExchangeTimings = { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null };
  const hostname = req.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const left = () => Math.max(1, req.deadline - performance.now());
  let resolved;
  try {
    resolved = await resolveHost(hostname, req.family, left());
  } catch (err) {
    const e = err as ResolveError;
    // An address literal of the other family is a setting that cannot work, not a name that failed.
    const outcome = e.code === 'EAI_ADDRFAMILY' ? 'error' : classifyErrno(e.code) === 'error' ? 'dns' : classifyErrno(e.code);
    throw new ExchangeError(e.message, outcome, timings, e.code);
  }
  timings.dnsMs = resolved.dnsMs;
  const { address, family } = resolved;
  const https = req.url.protocol === 'https:';
  let phase: Phase = 'connect';
  let tls: TlsInfo | undefined;

  return new Promise<ExchangeResult>((resolve, reject) => {
    let cr: ClientRequest | undefined;
    let settled = false;
    const t0 = performance.now();
    let readyAt = t0;
    const fail = (err: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cr?.destroy();
      const code = err.code;
      let outcome: Outcome;
      let message: string;
      if (err instanceof Timeout) {
        outcome = 'timeout';
        message = `no answer within the timeout, during ${PHASE_WORDS[phase]}`;
      } else if (phase === 'tls' || (code !== undefined && TLS_CODES.test(code))) {
        outcome = 'tls';
        message = `TLS: ${err.message}`;
      } else {
        outcome = classifyErrno(code);
        // A connection the server closes or resets after accepting it is not "refused".
        if (outcome === 'refused' && phase !== 'connect') outcome = 'error';
        message = `${err.message} (during ${PHASE_WORDS[phase]})`;
      }
      reject(new ExchangeError(message, outcome, { ...timings }, code, address, family, tls));
    };
    const timer = setTimeout(() => fail(new Timeout('timeout')), left());

    const options = {
      host: address,
      family,
      port: req.url.port ? Number(req.url.port) : https ? 443 : 80,
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method,
      headers: { ...req.headers, host: req.url.host },
      agent: false as const,
      ...(https
        ? {
            servername: req.tls.servername ?? '',
            rejectUnauthorized: req.tls.verify,
            ...(req.tls.ca ? { ca: req.tls.ca } : {}),
          }
        : {}),
    };
    try {
      cr = (https ? httpsRequest : httpRequest)(options);
    } catch (err) {
      fail(err as Error);
      return;
    }
    cr.on('error', fail);
    cr.once('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const now = performance.now();
        timings.connectMs = now - t0;
        readyAt = now;
        if (https) phase = 'tls';
        else phase = 'response';
      });
      if (https) {
        socket.once('secureConnect', () => {
          const now = performance.now();
          timings.tlsMs = now - readyAt;
          readyAt = now;
          tls = tlsInfoOf(socket as TLSSocket, req.tls.servername);
          phase = 'response';
        });
      }
    });
    cr.once('response', (res: IncomingMessage) => {
      timings.firstByteMs = performance.now() - readyAt;
      phase = 'body';
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          ...timings,
          address,
          family,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks, size),
          truncated,
          ...(tls ? { tls } : {}),
        });
        cr?.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (size + chunk.length > req.maxBodyBytes) {
          chunks.push(chunk.subarray(0, req.maxBodyBytes - size));
          size = req.maxBodyBytes;
          truncated = true;
          res.destroy();
          done();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', done);
      res.on('error', (err) => fail(err));
      res.on('close', () => {
        if (!settled && !res.complete) fail(Object.assign(new Error('the server closed the connection before the body ended'), { code: 'ECONNRESET' }));
      });
    });
    cr.end(req.body);
  });
}
