import type { WebhookNotifierConfig } from '../../config/notify-schema.js';
import { plainText, webhookJson } from '../format.js';
import { urlOrigin, type Redactor } from '../redact.js';
import type { AlertMessage, Channel, SendResult } from '../types.js';
import { httpFailure, postJson } from './http.js';

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

export function webhookChannel(name: string, cfg: WebhookNotifierConfig, redactor: Redactor): Channel {
  const timeoutMs = cfg.timeout || DEFAULT_HTTP_TIMEOUT_MS;
  return {
    name,
    type: 'webhook',
    destination: `${cfg.format === 'slack' ? 'slack-format ' : ''}POST ${urlOrigin(cfg.url)}`,
    async send(message: AlertMessage): Promise<SendResult> {
      const body = cfg.format === 'slack' ? { text: plainText(message) } : webhookJson(message);
      const headers = { ...(cfg.headers ?? {}), 'x-porthole-alert-id': message.id };
      const r = await postJson(cfg.url, body, headers, timeoutMs);
      if (!r.ok) return { ok: false, error: redactor.redact(r.error) };
      if (r.status >= 200 && r.status < 300) return { ok: true, detail: `HTTP ${r.status}` };
      return { ok: false, error: redactor.redact(httpFailure(r.status, r.body)) };
    },
  };
}
