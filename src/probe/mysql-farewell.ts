import type { Socket } from 'node:net';
import { authSwitchAnswer, COM_QUIT, handshakeResponse, PROBE_USER, readAuthReply, readGreeting, type AuthReply, type MysqlGreeting } from './mysql.js';
import { Session } from './session.js';
import type { MysqlLogin } from './types.js';

/** How long the server gets to answer each step of the login. */
const ANSWER_MS = 2_000;
/** Auth switches and extra rounds followed at most. */
const MAX_ROUNDS = 3;

/**
 * Answers a MySQL/MariaDB greeting with a login, so the server counts the connection as a finished
 * login attempt (or a login), never as a handshake error that brings its host nearer to being
 * blocked. Without credentials the probe user is refused (1045, an authentication error); with them
 * the check logs in and says COM_QUIT. Returns words for the evidence; never throws.
 */
export async function finishMysqlLogin(s: Session, g: MysqlGreeting, login?: MysqlLogin): Promise<string> {
  const user = login?.user ?? PROBE_USER;
  const password = login?.password ?? '';
  const response = handshakeResponse(g, user, password);
  if (!response) return 'server too old for a login';
  s.send(response);
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let reply: AuthReply = 'more';
      await s.expect(
        (buf) => {
          reply = readAuthReply(buf);
          return reply === 'more' ? 'more' : { ok: true, used: 'used' in reply ? reply.used : buf.length };
        },
        'an answer to the login',
        ANSWER_MS,
      );
      const r = reply as AuthReply;
      if (r === 'more' || r.kind === 'other') return 'unexpected answer to the login';
      if (r.kind === 'ok') {
        s.send(COM_QUIT);
        return `logged in as ${user}, COM_QUIT sent`;
      }
      if (r.kind === 'err') return `login as ${user} refused (${r.code})`;
      if (r.kind === 'switch') s.send(authSwitchAnswer(r, password));
      // caching_sha2_password: 0x03 is "fast auth done", an OK follows; anything else needs TLS or RSA.
      else if (r.data[0] !== 0x03) return 'server asks for a full authentication porthole does not do';
    }
    return 'login did not finish';
  } catch {
    return 'no answer to the login';
  }
}

/** The greeting a server sent first, when nothing has been said to it yet. */
export function greetingIn(firstBytes: Buffer): MysqlGreeting | undefined {
  const r = readGreeting(firstBytes);
  return r !== 'more' && r.kind === 'greeting' ? r.greeting : undefined;
}

/** Whether the first bytes are a whole MySQL greeting or plainly something else (no need to wait longer). */
export function firstPacketDone(buf: Buffer): boolean {
  return readGreeting(buf) !== 'more';
}

/**
 * How long a check that speaks first (TLS from the first byte, HTTP, `send`, a preset that sends
 * first) waits for a server that speaks first: a MySQL greeting must not be answered with bytes the
 * server reads as a broken login.
 */
export function helloWindowMs(connectMs: number): number {
  return Math.min(500, Math.max(150, 4 * connectMs));
}

/**
 * How long a plain TCP check listens for a server that speaks first before it says goodbye: long
 * enough for a greeting to cross the network and back a few times.
 */
export function listenWindowMs(connectMs: number): number {
  return Math.min(2_000, Math.max(500, 8 * connectMs));
}

/**
 * Ends a plain TCP check: listens a moment for a server that speaks first; a MySQL/MariaDB greeting
 * is answered with a login (see finishMysqlLogin), anything else or silence gets the polite FIN.
 */
export function listenThenClose(socket: Socket, listenMs: number): void {
  new Session(socket, listenMs, 1024).close(listenMs);
}
