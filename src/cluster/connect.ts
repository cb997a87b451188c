import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, nkeyAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { ClusterConfig } from '../config/cluster-schema.js';
import { sanitize } from '../text/sanitize.js';

export interface ConnectTuning {
  /** Wait between reconnect attempts (default 500 ms; NATS's own default is 2 s). */
  reconnectWaitMs?: number;
  /** Ping the server this often; two unanswered pings mean the link is dead (default 2 s). */
  pingIntervalMs?: number;
}

/**
 * The connection options for a cluster config: every URL (failover), the one way to log in, the CA.
 * Reconnects for ever: an agent cut off keeps monitoring and buffering until NATS is back.
 */
export function connectionOptions(c: ClusterConfig, name: string, tuning: ConnectTuning = {}): NodeConnectionOptions {
  const o: NodeConnectionOptions = {
    servers: c.servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: tuning.reconnectWaitMs ?? 500,
    reconnectJitter: 100,
    pingInterval: tuning.pingIntervalMs ?? 2000,
    maxPingOut: 2,
    timeout: 5000,
    // Each request (every publish's acknowledgement) would otherwise build an Error up front for its
    // stack trace: a measurable part of an agent's CPU at thousands of results a second.
    noAsyncTraces: true,
  };
  const a = c.auth;
  if (a && 'token' in a) o.token = a.token;
  else if (a && 'user' in a) {
    o.user = a.user;
    o.pass = a.password;
  } else if (a && 'nkey' in a) o.authenticator = nkeyAuthenticator(new TextEncoder().encode(a.nkey));
  else if (a && 'creds' in a) o.authenticator = credsAuthenticator(readCreds(a.creds));
  if (c.tlsCa) o.tls = { caFile: c.tlsCa };
  return o;
}

function readCreds(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`cluster.creds: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Connects, trying again every second until a server answers or `stopped()` says to give up
 * (undefined then). Each failure is reported (a wrong password says so at once).
 */
export async function connectCluster(c: ClusterConfig, name: string, tuning: ConnectTuning, stopped: () => boolean, onFailure: (err: unknown, attempt: number) => void): Promise<NatsConnection | undefined> {
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      return await connect(connectionOptions(c, name, tuning));
    } catch (err) {
      onFailure(err, attempt);
      await new Promise((r) => setTimeout(r, tuning.reconnectWaitMs ?? 1000));
    }
  }
  return undefined;
}

/** A message safe to print: the secrets of the config never appear in it. */
export function redactCluster(c: ClusterConfig, text: string): string {
  let out = text;
  for (const s of c.secrets) out = out.split(s).join('***');
  return out;
}

/** A NATS error for a screen line: the config's secrets redacted, control characters gone, bounded. */
export function linkErrorText(c: ClusterConfig, err: unknown): string {
  return sanitize(redactCluster(c, err instanceof Error ? err.message : String(err)), 300);
}
