import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface HttpReceiver {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown };

/** A loopback HTTP server that records each JSON POST and answers what `answer` says. */
export async function httpReceiver(answer: (req: Received, n: number) => Answer = () => ({ status: 200, body: { ok: true } }), port = 0): Promise<HttpReceiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (data += d));
    req.on('end', () => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {
        // recorded as text
      }
      const r: Received = { at: Date.now(), path: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const a = answer(r, received.length);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SmtpReceiver {
  port: number;
  mails: ParsedMail[];
  logins: { user: string; pass: string }[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on loopback; every message is parsed with mailparser. */
export async function smtpReceiver(): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const logins: { user: string; pass: string }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
      cb(null, { user: auth.username });
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
