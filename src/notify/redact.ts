export const REDACTED = '[redacted]';

/** Telegram puts the bot token in the URL path: redact the shape even when the value is unknown. */
const TELEGRAM_TOKEN_IN_URL = /\/bot[0-9]+:[A-Za-z0-9_-]+/g;

/** Removes every configured secret (and its URL-encoded form) from text before it is shown or stored. */
export class Redactor {
  private readonly needles: string[];

  constructor(secrets: readonly string[]) {
    const all = new Set<string>();
    for (const s of secrets) {
      if (s.length < 4) continue;
      all.add(s);
      const encoded = encodeURIComponent(s);
      if (encoded !== s) all.add(encoded);
    }
    this.needles = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const n of this.needles) out = out.split(n).join(REDACTED);
    return out.replace(TELEGRAM_TOKEN_IN_URL, `/bot${REDACTED}`);
  }
}

/** A URL as it may be shown: scheme, host and port only. */
export function urlOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' && !u.search ? '' : '/…'}`;
  } catch {
    return REDACTED;
  }
}
