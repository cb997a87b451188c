import { greetingIn } from '../probe/mysql-farewell.js';
import { SERVICE_PORTS, serviceForPort } from '../config/service-ports.js';

/** A service named from bytes it sent; `note` is raw (the caller sanitizes it). */
export interface Recognised {
  service: string;
  note: string;
}

/** An answer that does not name the service for sure but says which question to ask next. */
export interface Hint {
  hint: 'redis' | 'memcached' | 'tls';
  note: string;
}

function firstLine(buf: Buffer): string {
  const text = buf.toString('latin1');
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).slice(0, 160);
}

/** Enough bytes to judge a greeting: a whole line, a whole MySQL packet, or plenty. */
export function greetingComplete(buf: Buffer): boolean {
  return buf.includes(0x0a) || greetingIn(buf) !== undefined || buf.length >= 256;
}

/** What a server that speaks first said, named (nmap's "NULL probe"). */
export function recogniseGreeting(buf: Buffer): Recognised | undefined {
  const mysql = greetingIn(buf);
  if (mysql) return { service: /mariadb/i.test(mysql.version) ? 'mariadb' : 'mysql', note: `${mysql.version} (protocol 10)` };
  // Telnet option negotiation (IAC DO/DONT/WILL/WONT) before any text.
  if (buf[0] === 0xff && buf.length >= 3 && buf[1]! >= 0xfb && buf[1]! <= 0xfe) return { service: 'telnet', note: 'telnet option negotiation' };
  const line = firstLine(buf);
  if (/^SSH-\d/.test(line)) return { service: 'ssh', note: line };
  if (/^220[ -]/.test(line)) return { service: /ftp/i.test(line) && !/smtp/i.test(line) ? 'ftp' : 'smtp', note: line };
  if (/^\* OK/.test(line)) return { service: 'imap', note: line };
  if (/^\+OK/.test(line)) return { service: 'pop3', note: line };
  if (line.startsWith('INFO {')) {
    const version = /"version":"([^"]{1,40})"/.exec(line);
    return { service: 'nats', note: version ? `NATS ${version[1]}` : 'NATS' };
  }
  if (/^RFB \d{3}\.\d{3}/.test(line)) return { service: 'vnc', note: line };
  return undefined;
}

/** The status line of an HTTP answer, or undefined. */
export function httpStatus(buf: Buffer): number | undefined {
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(firstLine(buf));
  return m ? Number(m[1]) : undefined;
}

/** The answer to `HEAD / HTTP/1.0`: HTTP, or a hint from the error another protocol gives. */
export function recogniseHttpAnswer(buf: Buffer): Recognised | Hint | undefined {
  const status = httpStatus(buf);
  if (status !== undefined) {
    const server = /\r?\nServer: ?([^\r\n]{1,60})/i.exec(buf.toString('latin1'));
    return { service: 'http', note: `HTTP ${status}${server ? ` (${server[1]})` : ''}` };
  }
  const line = firstLine(buf);
  if (/^-(ERR|DENIED|NOAUTH|WRONGPASS)\b/.test(line)) return { hint: 'redis', note: line };
  if (/^(ERROR|CLIENT_ERROR)\b/.test(line)) return { hint: 'memcached', note: line };
  // A TLS alert record (content type 21, version 3.x): a TLS server hearing plain text.
  if (buf[0] === 0x15 && buf[1] === 0x03) return { hint: 'tls', note: 'TLS alert' };
  return undefined;
}

/** The same protocol under the names porthole knows, so a port's own name wins (8080 → http-alt). */
const FAMILIES: readonly (readonly string[])[] = [
  ['http', 'http-alt'],
  ['https', 'https-alt'],
  ['smtp', 'submission'],
  ['mysql', 'mariadb'],
  ['postgres', 'postgresql'],
];

/** The name to write: the port's well-known name when it is the same protocol, else the one found. */
export function nameOnPort(service: string, port: number): string {
  const known = serviceForPort(port);
  if (known === undefined || known === service) return service;
  if (service === 'mariadb' && known === 'mysql') return service;
  return FAMILIES.some((f) => f.includes(service) && f.includes(known)) ? known : service;
}

/** The service under TLS: a greeting or HTTP seen after the handshake. */
export function overTls(service: string): string {
  const tls: Record<string, string> = { http: 'https', imap: 'imaps', pop3: 'pop3s', smtp: 'smtps' };
  return tls[service] ?? service;
}

/** Only names the config schema accepts as a service. */
export function isServiceName(name: string): boolean {
  return Object.hasOwn(SERVICE_PORTS, name);
}
