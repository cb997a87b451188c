import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConcurrency } from '../../src/discover/limits.js';
import { nameOnPort, recogniseGreeting, recogniseHttpAnswer } from '../../src/discover/recognise.js';

const b = (s: string) => Buffer.from(s, 'latin1');

/** A MariaDB initial handshake packet (protocol 10), as a server sends it first. */
function mysqlGreeting(version: string): Buffer {
  const body = Buffer.concat([
    Buffer.from([10]),
    b(`${version}\0`),
    Buffer.from([1, 0, 0, 0]),
    b('abcdefgh\0'),
    Buffer.from([0xff, 0xf7, 8, 2, 0, 0xff, 0x81, 21]),
    Buffer.alloc(10),
    b('ijklmnopqrst\0'),
    b('mysql_native_password\0'),
  ]);
  const head = Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, body.length >> 16, 0]);
  return Buffer.concat([head, body]);
}

describe('naming a service from its own words', () => {
  it('greetings: SSH, SMTP vs FTP, IMAP, POP3, NATS, VNC, telnet, MySQL vs MariaDB', () => {
    const name = (buf: Buffer) => recogniseGreeting(buf)?.service;
    assert.equal(name(b('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')), 'ssh');
    assert.equal(name(b('220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n')), 'smtp');
    assert.equal(name(b('220 (vsFTPd 3.0.3)\r\n')), 'ftp');
    assert.equal(name(b('220 ProFTPD Server (Debian) [::ffff:10.0.0.1]\r\n')), 'ftp');
    assert.equal(name(b('220-mx.example.org ESMTP Exim 4.96 — welcome\r\n')), 'smtp', 'an SMTP greeting that mentions nothing of FTP');
    assert.equal(name(b('* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n')), 'imap');
    assert.equal(name(b('+OK Dovecot ready.\r\n')), 'pop3');
    assert.equal(name(b('INFO {"server_id":"N","version":"2.9.10","proto":1} \r\n')), 'nats');
    assert.equal(recogniseGreeting(b('INFO {"server_id":"N","version":"2.9.10"} \r\n'))?.note, 'NATS 2.9.10');
    assert.equal(name(b('RFB 003.008\n')), 'vnc');
    assert.equal(name(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20])), 'telnet');
    assert.equal(name(mysqlGreeting('8.0.36')), 'mysql');
    assert.equal(name(mysqlGreeting('5.5.5-10.11.6-MariaDB-0+deb12u1')), 'mariadb');
    assert.equal(name(b('hello, this is a custom protocol\r\n')), undefined);
    assert.equal(name(b('HTTP/1.1 400 Bad Request\r\n')), undefined);
  });

  it('answers to HEAD /: HTTP (with its Server header), or a hint for the next question', () => {
    assert.deepEqual(recogniseHttpAnswer(b('HTTP/1.1 301 Moved Permanently\r\nServer: nginx/1.22.1\r\n\r\n')), { service: 'http', note: 'HTTP 301 (nginx/1.22.1)' });
    assert.deepEqual(recogniseHttpAnswer(b('HTTP/1.0 200 OK\r\n\r\n')), { service: 'http', note: 'HTTP 200' });
    assert.equal((recogniseHttpAnswer(b("-ERR unknown command 'HEAD', with args beginning with: '/' 'HTTP/1.0'\r\n")) as { hint: string }).hint, 'redis');
    assert.equal((recogniseHttpAnswer(b('-DENIED Redis is running in protected mode\r\n')) as { hint: string }).hint, 'redis');
    assert.equal((recogniseHttpAnswer(b('ERROR\r\n')) as { hint: string }).hint, 'memcached');
    assert.equal((recogniseHttpAnswer(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])) as { hint: string }).hint, 'tls');
    assert.equal(recogniseHttpAnswer(b('SSH-2.0-x\r\n')), undefined);
  });

  it("the port's own name wins when it is the same protocol (8080 http-alt, 587 submission), never across protocols", () => {
    assert.equal(nameOnPort('http', 8080), 'http-alt');
    assert.equal(nameOnPort('https', 8443), 'https-alt');
    assert.equal(nameOnPort('smtp', 587), 'submission');
    assert.equal(nameOnPort('mariadb', 3306), 'mariadb');
    assert.equal(nameOnPort('redis', 8080), 'redis');
    assert.equal(nameOnPort('redis', 46379), 'redis');
  });

  it('the default concurrency stays under the open-file limit', () => {
    assert.equal(defaultConcurrency(1_048_576), 1000);
    assert.equal(defaultConcurrency(1024), 960);
    assert.equal(defaultConcurrency(256), 192);
    assert.equal(defaultConcurrency(50), 16);
    assert.equal(defaultConcurrency(undefined), 256);
  });
});
