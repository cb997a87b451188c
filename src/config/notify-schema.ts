import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

/**
 * Config for alerts: `notifiers` (named channels), `alerts` (policy) and `maintenance` (windows when a
 * target's alerts are held back). Kept apart from schema.ts so the target schema stays small; schema.ts
 * only plugs these in.
 */

const text = (what: string) => z.string({ error: `expected ${what} (text)` }).min(1, { error: `expected a non-empty ${what}` });

/**
 * An http(s) URL. The messages never quote the value: a webhook URL often carries its key, so what
 * is wrong is said without it.
 */
const httpUrl = (what: string) =>
  text(what).superRefine((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${what}: not a URL (expected http://host[:port]/path or https://…)` });
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `expected ${what}: an http:// or https:// URL, not ${u.protocol}//` });
    }
  });

const timeout = durationSchema(100, 300_000).optional();

export const webhookNotifierSchema = z.strictObject({
  type: z.literal('webhook'),
  url: httpUrl('a webhook URL'),
  /** Extra request headers (e.g. Authorization: "Bearer ${env:HOOK_TOKEN}"). */
  headers: z.record(z.string(), z.string({ error: 'expected a header value (text)' }), { error: 'expected an object of header names to values' }).optional(),
  /** "json" (default): porthole's event JSON; "slack": {"text": ...} for Slack-compatible receivers. */
  format: z.enum(['json', 'slack'], { error: 'expected "json" or "slack"' }).optional(),
  timeout,
});

export const telegramNotifierSchema = z.strictObject({
  type: z.literal('telegram'),
  token: text('bot token').regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'not a Telegram bot token: expected digits:letters, as @BotFather gives it (write it as "${env:NAME}")' }),
  chatId: z.union([z.string().min(1), z.number().int()], { error: 'expected a chat id (a number, or "@channelname")' }),
  /** Bot API server; the public one by default, a self-hosted one (or a test stand-in) otherwise. */
  apiBase: httpUrl('an API base URL').optional(),
  parseMode: z.enum(['HTML', 'none'], { error: 'expected "HTML" or "none"' }).optional(),
  timeout,
});

export const emailNotifierSchema = z.strictObject({
  type: z.literal('email'),
  host: text('SMTP host'),
  port: z.number({ error: 'expected a port number' }).int().min(1).max(65535).optional(),
  /** true: TLS from the first byte (port 465). false (default): plain, upgraded with STARTTLS per `starttls`. */
  secure: z.boolean({ error: 'expected true or false' }).optional(),
  starttls: z.enum(['required', 'opportunistic', 'off'], { error: 'expected "required", "opportunistic" or "off"' }).optional(),
  user: text('SMTP user name').optional(),
  password: text('SMTP password').optional(),
  from: text('sender address'),
  to: z.union([text('recipient address'), z.array(text('recipient address')).min(1)], { error: 'expected a recipient address or a list of them' }),
  /** false only for a relay with a self-signed certificate you trust. */
  verifyCertificate: z.boolean({ error: 'expected true or false' }).optional(),
  timeout,
});

export const commandNotifierSchema = z.strictObject({
  type: z.literal('command'),
  /** A program path; run without a shell, so arguments need no quoting. */
  command: text('program path'),
  args: z.array(z.string({ error: 'expected an argument (text)' }), { error: 'expected a list of arguments' }).optional(),
  timeout,
});

export const NOTIFIER_TYPES = ['webhook', 'telegram', 'email', 'command'] as const;

export const notifierSchema = z.discriminatedUnion('type', [webhookNotifierSchema, telegramNotifierSchema, emailNotifierSchema, commandNotifierSchema], {
  error: `expected "type": one of ${NOTIFIER_TYPES.map((t) => `"${t}"`).join(', ')}`,
});

export const NOTIFIER_NAME_RE = /^[A-Za-z0-9._-]{1,40}$/;

export const notifiersSchema = z.record(
  z.string().regex(NOTIFIER_NAME_RE, { error: 'expected a notifier name of 1-40 letters, digits or ._-' }),
  notifierSchema,
  { error: 'expected an object of notifier names to notifiers' },
);

export const notifyListSchema = z
  .array(z.string({ error: 'expected a notifier name (text)' }).min(1), { error: 'expected a list of notifier names' })
  .max(20);

export const alertsSchema = z.strictObject(
  {
    /** Alert when a target turns SLOW (off by default). */
    slow: z.boolean({ error: 'expected true or false' }).optional(),
    /** Alert when a target's handshake time trends well above its baseline (off by default). */
    trend: z.boolean({ error: 'expected true or false' }).optional(),
    /** Repeat a DOWN alert this often while the target stays down (0 or absent: never). */
    remindEvery: durationSchema(60_000, 7 * 86_400_000, { zeroMeansOff: true }).optional(),
    /** Failures on one host within this window go out as one message (default 5s; 0: never group). */
    groupWithin: durationSchema(100, 60_000, { zeroMeansOff: true }).optional(),
    /** A channel still failing after this long gives the alert up, marked failed (default 24h). */
    giveUpAfter: durationSchema(60_000, 30 * 86_400_000).optional(),
  },
  { error: 'expected an object of alert settings ({"slow": true, ...})' },
);

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CLOCK_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const clock = z.string({ error: 'expected a time of day "HH:MM"' }).regex(CLOCK_RE, { error: 'expected a time of day "HH:MM" (24-hour, local time)' });
const instant = z
  .string({ error: 'expected a date and time such as "2025-06-01T22:00:00Z"' })
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected a date and time such as "2025-06-01T22:00:00Z"' });

export const maintenanceSchema = z
  .strictObject({
    name: text('name').optional(),
    /** Target ids (or names) this window covers. */
    targets: z.array(text('target id'), { error: 'expected a list of target ids' }).optional(),
    /** Every target with one of these tags is covered. */
    tags: z.array(text('tag'), { error: 'expected a list of tags' }).optional(),
    /** A one-off window (ISO 8601 times). */
    start: instant.optional(),
    end: instant.optional(),
    /** A weekly window in local time ("quiet hours"); `to` before `from` runs past midnight. */
    days: z.array(z.enum(DAYS, { error: `expected a day: ${DAYS.join(', ')}` }), { error: 'expected a list of days' }).optional(),
    from: clock.optional(),
    to: clock.optional(),
  }, { error: 'expected a maintenance window: an object with "targets" or "tags" and a time' })
  .superRefine((w, ctx) => {
    if (!w.targets?.length && !w.tags?.length) ctx.addIssue({ code: 'custom', message: 'expected "targets" or "tags" (which targets this window covers)' });
    const oneOff = w.start !== undefined || w.end !== undefined;
    const weekly = w.from !== undefined || w.to !== undefined || w.days !== undefined;
    if (oneOff && weekly) ctx.addIssue({ code: 'custom', message: 'expected either "start"/"end" (one-off) or "from"/"to" (weekly), not both' });
    else if (oneOff && (w.start === undefined || w.end === undefined)) ctx.addIssue({ code: 'custom', message: 'expected both "start" and "end"' });
    else if (oneOff && Date.parse(w.end!) <= Date.parse(w.start!)) ctx.addIssue({ code: 'custom', message: 'expected "end" after "start"' });
    else if (!oneOff && (w.from === undefined || w.to === undefined)) ctx.addIssue({ code: 'custom', message: 'expected "start"/"end" (one-off) or "from"/"to" (weekly)' });
  });

export const maintenanceListSchema = z.array(maintenanceSchema, { error: 'expected a list of maintenance windows' });

export type NotifierConfig = z.output<typeof notifierSchema>;
export type WebhookNotifierConfig = z.output<typeof webhookNotifierSchema>;
export type TelegramNotifierConfig = z.output<typeof telegramNotifierSchema>;
export type EmailNotifierConfig = z.output<typeof emailNotifierSchema>;
export type CommandNotifierConfig = z.output<typeof commandNotifierSchema>;
export type ParsedAlerts = z.output<typeof alertsSchema>;
export type ParsedMaintenance = z.output<typeof maintenanceSchema>;
export type Weekday = (typeof DAYS)[number];
export const WEEKDAYS: readonly Weekday[] = DAYS;

export const NOTIFY_KNOWN_KEYS = {
  notifier: {
    webhook: Object.keys(webhookNotifierSchema.shape),
    telegram: Object.keys(telegramNotifierSchema.shape),
    email: Object.keys(emailNotifierSchema.shape),
    command: Object.keys(commandNotifierSchema.shape),
  } as Readonly<Record<string, readonly string[]>>,
  alerts: Object.keys(alertsSchema.shape),
  maintenance: ['name', 'targets', 'tags', 'start', 'end', 'days', 'from', 'to'],
};
