import { createRequire } from 'node:module';

// node:crypto loads at the first login that needs a hash, not with every plain check importing this file.
const requireBuiltin = createRequire(import.meta.url);

/**
 * Just enough of the MySQL/MariaDB client handshake to end a check as a finished login attempt.
 *
 * A server counts a connection that closes before it has read a HandshakeResponse as a handshake
 * error, and after `max_connect_errors` of them in a row it refuses the client's host (ERROR 1129) —
 * the monitoring host and every application on it. A rejected login is an authentication error,
 * which does not count; a successful one (then COM_QUIT) clears the count.
 */

/** The user name a check logs in as when none is configured; a server that does not know it says 1045. */
export const PROBE_USER = 'porthole';

export interface MysqlGreeting {
  version: string;
  capabilities: number;
  /** The 20-byte scramble for mysql_native_password. */
  scramble: Buffer;
  plugin: string;
  /** The sequence number of the greeting packet (0). */
  seq: number;
}

export type GreetingRead =
  | 'more'
  | { kind: 'greeting'; greeting: MysqlGreeting; used: number }
  | { kind: 'err'; code: number; message: string; used: number }
  | { kind: 'other' };

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_TRANSACTIONS = 0x2000;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
/** Largest greeting accepted; real ones are about 100 bytes. */
const MAX_GREETING = 4096;

function errPacket(payload: Buffer): { code: number; message: string } {
  const code = payload.length >= 3 ? payload.readUInt16LE(1) : 0;
  const text = payload.subarray(3).toString('utf8');
  return { code, message: text.replace(/^#[0-9A-Z]{5}/, '') };
}

/** Reads the server's first packet: a protocol 10 greeting, an ERR (host blocked, too many connections), or something else. */
export function readGreeting(buf: Buffer): GreetingRead {
  if (buf.length < 5) return 'more';
  const len = buf.readUIntLE(0, 3);
  const seq = buf[3]!;
  const kind = buf[4]!;
  if (seq !== 0 || len < 3 || len > MAX_GREETING || (kind !== 10 && kind !== 0xff)) return { kind: 'other' };
  if (buf.length < 4 + len) return 'more';
  const p = buf.subarray(4, 4 + len);
  if (kind === 0xff) return { kind: 'err', ...errPacket(p), used: 4 + len };
  const nul = p.indexOf(0, 1);
  if (nul < 0) return { kind: 'other' };
  const version = p.subarray(1, nul).toString('latin1');
  let at = nul + 1 + 4; // thread id
  const part1 = p.subarray(at, at + 8);
  at += 9; // scramble part 1 and a filler byte
  if (p.length < at + 2) return { kind: 'greeting', greeting: { version, capabilities: 0, scramble: part1, plugin: '', seq }, used: 4 + len };
  let capabilities = p.readUInt16LE(at);
  at += 2 + 1 + 2; // lower capabilities, charset, status
  if (p.length >= at + 2) capabilities |= p.readUInt16LE(at) << 16;
  at += 2;
  const authLen = p[at] ?? 0;
  at += 1 + 10;
  const part2Len = Math.max(13, authLen - 8);
  const part2 = p.subarray(at, at + part2Len);
  at += part2Len;
  const pluginEnd = p.indexOf(0, at);
  const plugin = (capabilities & CLIENT_PLUGIN_AUTH) !== 0 && at < p.length ? p.subarray(at, pluginEnd < 0 ? p.length : pluginEnd).toString('latin1') : '';
  // The scramble is 20 bytes; part 2 ends with a NUL that is not part of it.
  const scramble = Buffer.concat([part1, part2]).subarray(0, 20);
  return { kind: 'greeting', greeting: { version, capabilities: capabilities >>> 0, scramble, plugin, seq }, used: 4 + len };
}

function sha1(...parts: Buffer[]): Buffer {
  const { createHash } = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); empty for an empty password. */
export function nativePasswordToken(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const mix = sha1(scramble.subarray(0, 20), sha1(stage1));
  return Buffer.from(stage1.map((b, i) => b ^ mix[i]!));
}

function packet(seq: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq & 0xff;
  return Buffer.concat([head, payload]);
}

/** The client's HandshakeResponse41 (sequence 1), or undefined for a server too old to take one. */
export function handshakeResponse(g: MysqlGreeting, user: string, password: string): Buffer | undefined {
  if ((g.capabilities & CLIENT_PROTOCOL_41) === 0 || (g.capabilities & CLIENT_SECURE_CONNECTION) === 0) return undefined;
  const pluginAuth = (g.capabilities & CLIENT_PLUGIN_AUTH) !== 0;
  const caps = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | (g.capabilities & CLIENT_TRANSACTIONS) | (pluginAuth ? CLIENT_PLUGIN_AUTH : 0);
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(caps >>> 0, 0);
  fixed.writeUInt32LE(16 * 1024 * 1024, 4);
  fixed[8] = 33; // utf8_general_ci
  const token = nativePasswordToken(password, g.scramble);
  return packet(
    g.seq + 1,
    Buffer.concat([fixed, Buffer.from(user, 'utf8'), Buffer.from([0, token.length]), token, pluginAuth ? Buffer.from('mysql_native_password\0', 'latin1') : Buffer.alloc(0)]),
  );
}

export type AuthReply =
  | 'more'
  | { kind: 'ok'; used: number }
  | { kind: 'err'; code: number; message: string; used: number }
  | { kind: 'switch'; plugin: string; data: Buffer; seq: number; used: number }
  | { kind: 'moreData'; data: Buffer; seq: number; used: number }
  | { kind: 'other' };

/** Reads the server's answer to a HandshakeResponse (or to an auth-switch answer). */
export function readAuthReply(buf: Buffer): AuthReply {
  if (buf.length < 5) return 'more';
  const len = buf.readUIntLE(0, 3);
  if (len > MAX_GREETING) return { kind: 'other' };
  if (buf.length < 4 + len) return 'more';
  const seq = buf[3]!;
  const p = buf.subarray(4, 4 + len);
  const used = 4 + len;
  switch (p[0]) {
    case 0x00:
      return { kind: 'ok', used };
    case 0xff:
      return { kind: 'err', ...errPacket(p), used };
    case 0xfe: {
      const nul = p.indexOf(0, 1);
      const plugin = p.subarray(1, nul < 0 ? p.length : nul).toString('latin1');
      const data = nul < 0 ? Buffer.alloc(0) : p.subarray(nul + 1);
      return { kind: 'switch', plugin, data: data[data.length - 1] === 0 ? data.subarray(0, -1) : data, seq, used };
    }
    case 0x01:
      return { kind: 'moreData', data: p.subarray(1), seq, used };
    default:
      return { kind: 'other' };
  }
}

/** The answer to an AuthSwitchRequest: a native-password token, or nothing (the server then refuses us). */
export function authSwitchAnswer(reply: { plugin: string; data: Buffer; seq: number }, password: string): Buffer {
  const token = reply.plugin === 'mysql_native_password' ? nativePasswordToken(password, reply.data) : Buffer.alloc(0);
  return packet(reply.seq + 1, token);
}

/** COM_QUIT: the way a logged-in client says goodbye. */
export const COM_QUIT = packet(0, Buffer.from([0x01]));
