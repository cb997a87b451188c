import type { TelegramNotifierConfig } from '../../config/notify-schema.js';
import { plainText, telegramHtml } from '../format.js';
import { urlOrigin, type Redactor } from '../redact.js';
import type { AlertMessage, Channel, SendResult } from '../types.js';
import { httpFailure, postJson } from './http.js';
import { DEFAULT_HTTP_TIMEOUT_MS } from './webhook.js';

/** The public Bot API; tests and self-hosted Bot API servers set `apiBase`. */
export const TELEGRAM_DEFAULT_API_BASE = 'https://api.telegram.org';
/** Telegram refuses longer texts. */
const MAX_TEXT = 4096;

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

function parseAnswer(body: string): BotApiAnswer | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === 'object' ? (v as BotApiAnswer) : undefined;
  } catch {
    return undefined;
  }
}

export function telegramChannel(name: string, cfg: TelegramNotifierConfig, redactor: Redactor): Channel {
  const base = (cfg.apiBase ?? TELEGRAM_DEFAULT_API_BASE).replace(/\/+$/, '');
  const url = `${base}/bot${cfg.token}/sendMessage`;
  const timeoutMs = cfg.timeout || DEFAULT_HTTP_TIMEOUT_MS;
  const html = (cfg.parseMode ?? 'HTML') === 'HTML';
  return {
    name,
    type: 'telegram',
    destination: `chat ${String(cfg.chatId)} via ${urlOrigin(base)}`,
    async send(message: AlertMessage): Promise<SendResult> {
      const text = (html ? telegramHtml(message) : plainText(message)).slice(0, MAX_TEXT);
      const body = { chat_id: cfg.chatId, text, ...(html ? { parse_mode: 'HTML' } : {}), disable_web_page_preview: true };
      const r = await postJson(url, body, {}, timeoutMs);
      if (!r.ok) return { ok: false, error: redactor.redact(r.error) };
      const answer = parseAnswer(r.body);
      if (r.status >= 200 && r.status < 300 && answer?.ok === true) return { ok: true, detail: `HTTP ${r.status}, ok` };
      const retryAfter = answer?.parameters?.retry_after;
      const why = answer?.description ? `HTTP ${r.status}: ${answer.description}` : httpFailure(r.status, r.body);
      return {
        ok: false,
        error: redactor.redact(why),
        ...(typeof retryAfter === 'number' && retryAfter > 0 ? { retryAfterMs: Math.min(retryAfter, 3600) * 1000 } : {}),
      };
    },
  };
}
