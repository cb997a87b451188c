export const REDACTED = '[redacted]';

/** Telegram puts the bot token in the URL path: redact the shape even when the value is unknown. */
const TELEGRAM_TOKEN_IN_URL = /\/bot[0-9]+:[A-Za-z0-9_-]+/g;

/** A run of base64 (standard or URL-safe alphabet) as it may stand in a server's message. */
const BASE64_RUN = /[A-Za-z0-9+/_-]+={0,2}/g;

/**
 * What base64 of any text holding the secret must contain, whatever bytes stand before it: for each
 * of the three alignments, the encoding of the secret's whole 3-byte groups (standard and URL-safe).
 * A secret inside an `AUTH PLAIN` blob (`\0user\0pass`) lands at any alignment, depending on the
 * user name's length; AUTH LOGIN and HTTP Basic encode it alone or after `user:`.
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores = new Set<string>();
  for (let skip = 0; skip < 3; skip++) {
    const body = bytes.subarray(skip);
    const whole = body.length - (body.length % 3);
    if (whole < 3) continue;
    const std = body.subarray(0, whole).toString('base64');
    cores.add(std);
    cores.add(std.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...cores];
}

/** The forms a secret takes in a URL or a form body. */
function urlForms(s: string): string[] {
  return [encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)].filter((f) => f !== s);
}

/**
 * Removes every configured secret from text before it is shown or stored: as written, URL-encoded,
 * and base64-encoded inside anything porthole sent (an SMTP server may echo the AUTH blob back).
 */
export class Redactor {
  private readonly needles: string[];
  private readonly cores: string[];

  constructor(private readonly secrets: readonly string[]) {
    const all = new Set<string>();
    const cores = new Set<string>();
    for (const s of secrets) {
      if (s.length < 4) continue;
      all.add(s);
      for (const f of urlForms(s)) all.add(f);
      for (const c of base64Cores(s)) cores.add(c);
    }
    this.needles = [...all].sort((a, b) => b.length - a.length);
    this.cores = [...cores];
  }

  /** A redactor that also hides what one channel sends on top of the configured secrets (an AUTH blob). */
  including(extra: readonly string[]): Redactor {
    return new Redactor([...this.secrets, ...extra]);
  }

  redact(text: string): string {
    let out = text;
    for (const n of this.needles) out = out.split(n).join(REDACTED);
    if (this.cores.length) out = out.replace(BASE64_RUN, (run) => (this.cores.some((c) => run.includes(c)) ? REDACTED : run));
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
