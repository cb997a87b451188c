import type { EmailNotifierConfig } from '../../config/notify-schema.js';
import { describeSendError } from '../describe-error.js';
import { plainText, summaryLine } from '../format.js';
import type { Redactor } from '../redact.js';
import type { AlertMessage, Channel, SendResult } from '../types.js';

const DEFAULT_SMTP_TIMEOUT_MS = 20_000;

/**
 * What porthole itself says when it logs in, in every form a server may echo back: the AUTH PLAIN
 * blob (`\0user\0pass`, as nodemailer sends it) and AUTH LOGIN's user and password, each base64.
 */
function authForms(user: string | undefined, password: string | undefined): string[] {
  if (!user) return [];
  const pass = password ?? '';
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [`\0${user}\0${pass}`, b64(`\0${user}\0${pass}`), b64(user), ...(pass ? [pass, b64(pass)] : [])];
}

export function emailChannel(name: string, cfg: EmailNotifierConfig, configured: Redactor): Channel {
  const redactor = configured.including(authForms(cfg.user, cfg.password));
  const secure = cfg.secure ?? false;
  const port = cfg.port ?? (secure ? 465 : 587);
  const starttls = cfg.starttls ?? 'opportunistic';
  const timeoutMs = cfg.timeout || DEFAULT_SMTP_TIMEOUT_MS;
  const to = Array.isArray(cfg.to) ? cfg.to : [cfg.to];
  return {
    name,
    type: 'email',
    destination: `${to.join(', ')} via smtp ${cfg.host}:${port}${secure ? ' (TLS)' : starttls === 'required' ? ' (STARTTLS required)' : ''}`,
    async send(message: AlertMessage): Promise<SendResult> {
      // Loaded at the first email, not with every process that builds its channels (≈7 MB of heap
      // and 0.1–0.2 s of start-up in a console or agent that may never send one).
      const { default: nodemailer } = await import('nodemailer');
      const transport = nodemailer.createTransport({
        host: cfg.host,
        port,
        secure,
        requireTLS: !secure && starttls === 'required',
        ignoreTLS: !secure && starttls === 'off',
        ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        tls: { rejectUnauthorized: cfg.verifyCertificate ?? true },
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      try {
        const info = await transport.sendMail({
          from: cfg.from,
          to,
          subject: `[porthole] ${summaryLine(message)}`,
          text: plainText(message),
          headers: { 'X-Porthole-Alert-Id': message.id },
        });
        const response = typeof info.response === 'string' ? info.response : 'accepted';
        return { ok: true, detail: redactor.redact(`SMTP ${response}`) };
      } catch (err) {
        return { ok: false, error: redactor.redact(describeSendError(err, timeoutMs)) };
      } finally {
        transport.close();
      }
    },
  };
}
