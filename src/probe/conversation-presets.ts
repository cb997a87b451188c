import { createRequire } from 'node:module';
import { finishMysqlLogin } from './mysql-farewell.js';
import { readGreeting, type MysqlGreeting } from './mysql.js';
import type { Judge, Session, Verdict } from './session.js';
import type { ProbeOptions } from './types.js';

// node:crypto loads when an MQTT check first needs a client id, not with every plain check.
const requireBuiltin = createRequire(import.meta.url);

/**
 * Conversation presets by service name: what each sends, what counts as "the right service is
 * answering", and how it ends the conversation so the server logs a normal close, not an abort.
 * They run only when a target opts in (`check: "banner"`); a plain TCP check only answers a MySQL
 * greeting (see mysql-farewell.ts).
 */
export interface Preset {
  /** Implicit TLS before anything is said (https, imaps, smtps, pop3s). */
  tlsFirst?: boolean;
  /** Services that can upgrade in place with `starttls: true`. */
  starttls?: (s: Session, upgrade: () => Promise<void>) => Promise<Verdict>;
  /** Words for the README and for evidence: what is expected. */
  expected: string;
  /** The preset's first move is to send (PING, SSLRequest, a protocol header, CONNECT). */
  speaksFirst?: boolean;
  run(s: Session, o?: ProbeOptions): Promise<Verdict>;
}

const CRLF = '\r\n';

/** A complete line (through \n), judged by `test`; waits for more while no line end has come. */
function line(test: (text: string) => Verdict, cap = 512): Judge {
  return (buf) => {
    const end = buf.indexOf(0x0a);
    if (end < 0) return buf.length >= cap ? test(buf.toString('latin1')) : 'more';
    const text = buf.subarray(0, end + 1).toString('latin1');
    return { ...test(text.replace(/\r?\n$/, '')), used: end + 1 };
  };
}

/** An SMTP-style reply, possibly multi-line ("250-..." continued, "250 ..." last), with the expected code. */
function reply(code: string): Judge {
  return (buf) => {
    const text = buf.toString('latin1');
    let used = 0;
    for (const l of text.split('\n').slice(0, -1)) {
      used += l.length + 1;
      if (!/^\d{3}[ -]/.test(l)) return { ok: false, note: l.slice(0, 120) };
      if (l[3] === ' ') return { ok: l.startsWith(code), note: firstLine(text), used };
    }
    return 'more';
  };
}

/** The tagged completion of an IMAP command, skipping untagged lines before it. */
function tagged(tag: string): Judge {
  return (buf) => {
    const text = buf.toString('latin1');
    let used = 0;
    for (const l of text.split('\n').slice(0, -1)) {
      used += l.length + 1;
      if (l.startsWith(`${tag} `)) return { ok: l.startsWith(`${tag} OK`), note: l.slice(0, 120), used };
    }
    return 'more';
  };
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.slice(0, 120);
}

function startsWith(prefix: string): Judge {
  return line((text) => ({ ok: text.startsWith(prefix), note: text.slice(0, 120) }));
}

async function smtpGreeting(s: Session): Promise<Verdict> {
  return s.expect(reply('220'), '"220" greeting');
}

/** 220 greeting, then QUIT (221 and the server's own close follow). */
const smtp: Preset = {
  expected: '"220" greeting; sends QUIT',
  async run(s) {
    const v = await smtpGreeting(s);
    s.send(`QUIT${CRLF}`);
    return v;
  },
  async starttls(s, upgrade) {
    const v = await smtpGreeting(s);
    s.send(`EHLO porthole.invalid${CRLF}`);
    let capabilities = '';
    await s.expect((buf) => {
      const r = reply('250')(buf);
      if (r !== 'more') capabilities = buf.subarray(0, r.used ?? buf.length).toString('latin1');
      return r;
    }, '"250" reply to EHLO');
    if (!/^250[ -]STARTTLS\b/im.test(capabilities)) throw new StartTlsRefused('server does not offer STARTTLS in its EHLO reply');
    s.send(`STARTTLS${CRLF}`);
    await s.expect(reply('220'), '"220" reply to STARTTLS');
    await upgrade();
    s.send(`QUIT${CRLF}`);
    return v;
  },
};

const smtps: Preset = { ...smtp, tlsFirst: true, starttls: undefined };

const imap: Preset = {
  expected: '"* OK" greeting; sends LOGOUT',
  async run(s) {
    const v = await s.expect(startsWith('* OK'), '"* OK" greeting');
    s.send(`a1 LOGOUT${CRLF}`);
    return v;
  },
  async starttls(s, upgrade) {
    const v = await s.expect(startsWith('* OK'), '"* OK" greeting');
    s.send(`a1 STARTTLS${CRLF}`);
    await s.expect(tagged('a1'), '"a1 OK" to STARTTLS');
    await upgrade();
    s.send(`a2 LOGOUT${CRLF}`);
    return v;
  },
};

const pop3: Preset = {
  expected: '"+OK" greeting; sends QUIT',
  async run(s) {
    const v = await s.expect(startsWith('+OK'), '"+OK" greeting');
    s.send(`QUIT${CRLF}`);
    return v;
  },
};

/** PING → +PONG; -NOAUTH means a live server that wants a password. Then QUIT. */
const redis: Preset = {
  speaksFirst: true,
  expected: '"+PONG" (or "-NOAUTH") to PING; sends QUIT',
  async run(s) {
    s.send(`PING${CRLF}`);
    const v = await s.expect(
      line((t) => {
        if (t.startsWith('+PONG')) return { ok: true, note: 'PONG' };
        if (t.startsWith('-NOAUTH')) return { ok: true, note: 'NOAUTH (alive, password required)' };
        return { ok: false, note: t.slice(0, 120) };
      }),
      '"+PONG" or "-NOAUTH"',
    );
    s.send(`QUIT${CRLF}`);
    return v;
  },
};

/** The server speaks first with INFO {json}; closing is the protocol's way out before CONNECT. */
const nats: Preset = {
  expected: '"INFO {" greeting; closes',
  run: (s) =>
    s.expect((buf) => {
      if (buf.length < 6) return 'INFO {'.startsWith(buf.toString('latin1')) ? 'more' : { ok: false };
      const ok = buf.subarray(0, 6).toString('latin1') === 'INFO {';
      const version = /"version":"([^"]{1,40})"/.exec(buf.toString('latin1'));
      return { ok, ...(ok ? { note: version ? `NATS ${version[1]}` : 'NATS' } : {}) };
    }, '"INFO {"'),
};

/**
 * The MySQL/MariaDB initial handshake packet (protocol 10, then the server version), answered with a
 * login so the server counts a finished login attempt, never a handshake error (those block the
 * host after max_connect_errors): the probe user is refused (1045), or the configured `login` logs in
 * and says COM_QUIT. An ERR packet (0xff) is a live server refusing us (too many connections, host
 * blocked): a mismatch with its message.
 */
const mysql: Preset = {
  expected: 'handshake packet, protocol 10; answers with a login (refused, or `login`), COM_QUIT',
  async run(s, o) {
    let greeting: MysqlGreeting | undefined;
    const v = await s.expect((buf) => {
      const r = readGreeting(buf);
      if (r === 'more') return 'more';
      if (r.kind === 'err') return { ok: false, note: `ERR ${r.code} ${r.message}`.trim() };
      if (r.kind === 'other') return { ok: false, note: 'not a protocol 10 greeting' };
      greeting = r.greeting;
      return { ok: true, note: `${r.greeting.version.slice(0, 64)} (protocol 10)`, used: r.used };
    }, 'a protocol 10 greeting packet');
    const how = await finishMysqlLogin(s, greeting!, o?.login);
    return { ...v, note: `${v.note}; ${how}` };
  },
};

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * SSLRequest → "S" or "N". After "S" the TLS handshake is completed before closing: a connection
 * that goes quiet after TLS is one PostgreSQL does not log, an aborted handshake it does.
 */
const postgres: Preset = {
  speaksFirst: true,
  expected: '"S" or "N" to SSLRequest; closes',
  async run(s) {
    s.send(SSL_REQUEST);
    return s.expect(sslAnswer, '"S" or "N"');
  },
  async starttls(s, upgrade) {
    s.send(SSL_REQUEST);
    const v = await s.expect(sslAnswer, '"S" (SSL supported)');
    if (v.note !== 'SSL: S') throw new StartTlsRefused('server answered "N" to SSLRequest: no TLS offered');
    await upgrade();
    return v;
  },
};

/** The server does not offer the in-place upgrade the target asks for: a TLS failure. */
export class StartTlsRefused extends Error {}

const sslAnswer: Judge = (buf) => {
  const c = String.fromCharCode(buf[0]!);
  return { ok: c === 'S' || c === 'N', note: `SSL: ${c}`, used: 1 };
};

/** The server's identification line; ours follows, then FIN ("Connection closed by ... [preauth]"). */
const ssh: Preset = {
  expected: '"SSH-" identification; sends its own, closes',
  async run(s) {
    const v = await s.expect(startsWith('SSH-'), '"SSH-"');
    s.send(`SSH-2.0-porthole${CRLF}`);
    return v;
  },
};

/** AMQP 0-9-1 protocol header → Connection.Start (or the server's own header naming its version). */
const amqp: Preset = {
  speaksFirst: true,
  expected: 'Connection.Start to the AMQP 0-9-1 header; closes',
  async run(s) {
    s.send(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'));
    return s.expect((buf) => {
      if (buf.length >= 4 && buf.subarray(0, 4).toString('latin1') === 'AMQP') {
        return buf.length < 8 ? 'more' : { ok: true, note: `AMQP server, protocol ${buf[5]}-${buf[6]}-${buf[7]}` };
      }
      if (buf[0] !== 1) return { ok: false };
      if (buf.length < 11) return 'more';
      const ok = buf.readUInt16BE(7) === 10 && buf.readUInt16BE(9) === 10;
      return { ok, note: ok ? 'Connection.Start' : 'not Connection.Start' };
    }, 'Connection.Start');
  },
};

function mqttConnect(): Buffer {
  const { randomBytes } = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const id = Buffer.from(`porthole-${randomBytes(4).toString('hex')}`);
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 10]);
  const payload = Buffer.concat([Buffer.from([0, id.length]), id]);
  const rest = variable.length + payload.length;
  return Buffer.concat([Buffer.from([0x10, rest]), variable, payload]);
}

const MQTT_CODES = ['accepted', 'unacceptable protocol version', 'client id rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

/** CONNECT (3.1.1) → CONNACK; any CONNACK is a live broker (return code noted), then DISCONNECT. */
const mqtt: Preset = {
  speaksFirst: true,
  expected: 'CONNACK to CONNECT; sends DISCONNECT',
  async run(s) {
    s.send(mqttConnect());
    const v = await s.expect((buf) => {
      if (buf[0] !== 0x20) return { ok: false };
      if (buf.length < 4) return 'more';
      const rc = buf[3]!;
      return { ok: buf[1] === 2, note: `CONNACK ${rc} (${MQTT_CODES[rc] ?? 'unknown'})`, used: 4 };
    }, 'CONNACK');
    if (v.note?.startsWith('CONNACK 0 ')) s.send(Buffer.from([0xe0, 0x00]));
    return v;
  },
};

const memcached: Preset = {
  speaksFirst: true,
  expected: '"VERSION" to version; sends quit',
  async run(s) {
    s.send(`version${CRLF}`);
    const v = await s.expect(startsWith('VERSION '), '"VERSION"');
    s.send(`quit${CRLF}`);
    return v;
  },
};

/** TLS only: the handshake (and the certificate) is the check; close_notify ends it. */
const tlsOnly: Preset = { tlsFirst: true, expected: 'TLS handshake; close_notify', run: async () => ({ ok: true }) };

export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze({
  smtp,
  submission: smtp,
  smtps,
  imap,
  imaps: { ...imap, tlsFirst: true, starttls: undefined },
  pop3,
  pop3s: { ...pop3, tlsFirst: true },
  redis,
  nats,
  mysql,
  mariadb: mysql,
  postgres,
  postgresql: postgres,
  ssh,
  amqp,
  mqtt,
  memcached,
  https: tlsOnly,
  'https-alt': tlsOnly,
  ldaps: tlsOnly,
  mqtts: tlsOnly,
});

export function presetFor(service: string | undefined): Preset | undefined {
  return service !== undefined && Object.hasOwn(PRESETS, service) ? PRESETS[service] : undefined;
}

/** Services that can be told `starttls: true`. */
export function startTlsServices(): string[] {
  return Object.keys(PRESETS).filter((k) => PRESETS[k]!.starttls);
}
