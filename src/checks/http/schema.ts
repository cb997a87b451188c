import { z } from 'zod';
import { parseStatusSpec } from './conditions.js';
import { MAX_BODY_BYTES_LIMIT } from './defaults.js';
import { ConditionSyntaxError, parseJsonCondition } from './json-condition.js';

/** Config keys of an API check (README "API checks"). Values are checked here; conditions are parsed here once. */

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MAX_REQUEST_BODY = 64 * 1024;

const bool = () => z.boolean({ error: 'expected true or false' });

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
// Headers node sets from what it sends, or that would break the exchange.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive']);

const urlSchema = z.string({ error: 'expected an http:// or https:// URL' }).superRefine((s, ctx) => {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an http:// or https:// URL such as "https://api.example.com/health"' });
    return;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `expected an http:// or https:// URL, not ${u.protocol}` });
  else if (u.username || u.password) ctx.addIssue({ code: 'custom', message: 'expected no user:password in the URL; send credentials in "headers" (e.g. "Authorization": "Basic ${env:API_BASIC}")' });
  else if (!u.hostname) ctx.addIssue({ code: 'custom', message: 'expected a host in the URL' });
});

const headerValue = z
  .string({ error: 'expected a header value (text)' })
  .max(8192, { error: 'expected a header value of at most 8192 characters' })
  // The value is never quoted back: it may be a secret.
  .refine((v) => !/[\r\n\0]/.test(v), { error: 'expected a header value without line breaks or NUL' });

const headersSchema = z
  .record(z.string(), headerValue, { error: 'expected an object of header names and values, e.g. {"Authorization": "Bearer ${env:API_TOKEN}"}' })
  .superRefine((h, ctx) => {
    const seen = new Set<string>();
    for (const name of Object.keys(h)) {
      if (seen.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is given twice (header names are not case-sensitive)` });
      seen.add(name.toLowerCase());
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'expected a header name (letters, digits and -)' });
      else if (RESERVED_HEADERS.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is set by porthole itself and cannot be configured` });
    }
  });

const statusItem = z.union([z.number(), z.string()]).superRefine((s, ctx) => {
  if (!parseStatusSpec(s)) ctx.addIssue({ code: 'custom', message: 'expected a status (100-599), a range "200-299" or a class "2xx"' });
});

const regexString = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .min(1)
    .max(1000)
    .superRefine((s, ctx) => {
      try {
        new RegExp(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
      }
    });

const headerCondition = z.union([z.string().max(1000), z.strictObject({ matches: regexString('a regular expression') })], {
  error: 'expected the text the header must contain, or {"matches": "regex"}',
});

const jsonCondition = z.string({ error: 'expected a condition such as "$.status == \\"ok\\""' }).superRefine((s, ctx) => {
  try {
    parseJsonCondition(s);
  } catch (err) {
    if (err instanceof ConditionSyntaxError) ctx.addIssue({ code: 'custom', message: `not a valid JSON condition: ${err.message}; expected PATH OPERATOR VALUE such as $.queue.depth < 1000` });
    else throw err;
  }
});

export const httpCheckShape = {
  url: urlSchema,
  method: z.enum(HTTP_METHODS, { error: `expected one of ${HTTP_METHODS.join(', ')} (upper case)` }).optional(),
  headers: headersSchema.optional(),
  body: z
    .union([z.string().max(MAX_REQUEST_BODY), z.record(z.string(), z.unknown()), z.array(z.unknown())], { error: 'expected the request body: text, or a JSON object or list (sent as application/json)' })
    .optional(),
  expectStatus: z.union([statusItem, z.array(statusItem).min(1).max(50)], { error: 'expected a status, a range "200-299", a class "2xx", or a list of them' }).optional(),
  expectHeaders: z.record(z.string().regex(HEADER_NAME, { error: 'expected a header name' }), headerCondition, { error: 'expected an object of header names and conditions' }).optional(),
  expectBody: z.string({ error: 'expected the text the body must contain' }).min(1).max(1000).optional(),
  expectBodyRegex: regexString('a regular expression the body must match').optional(),
  expectJson: z.union([jsonCondition, z.array(jsonCondition).min(1).max(50)], { error: 'expected a JSON condition or a list of them, such as ["$.status == \\"ok\\"", "$.items.length > 0"]' }).optional(),
  followRedirects: bool().optional(),
  maxRedirects: z.number({ error: 'expected a number of redirects from 0 to 20' }).int().min(0).max(20).optional(),
  maxBodyBytes: z.number({ error: `expected a byte count from 1 to ${MAX_BODY_BYTES_LIMIT}` }).int().min(1).max(MAX_BODY_BYTES_LIMIT).optional(),
  tlsVerify: bool().optional(),
  tlsCa: z.string({ error: 'expected a path to a PEM file of trusted CAs' }).min(1).optional(),
  sni: z.string().regex(/^[A-Za-z0-9_.-]{1,253}$/, { error: 'expected a server name for SNI' }).optional(),
  mismatch: z.enum(['critical', 'warning'], { error: 'expected "critical" (DOWN) or "warning" (SLOW-class)' }).optional(),
};

type HttpKeys = { [K in keyof typeof httpCheckShape]?: z.output<(typeof httpCheckShape)[K]> };

/** Cross-key rules; to be used with the shape merged into a target schema. */
export function refineHttpCheck(c: HttpKeys, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const https = typeof c.url === 'string' && c.url.startsWith('https:');
  for (const key of ['tlsVerify', 'tlsCa', 'sni'] as const) {
    if (c[key] !== undefined && !https) issue(key, 'only applies to an https:// URL');
  }
  if (c.maxRedirects !== undefined && c.followRedirects === false) issue('maxRedirects', 'only applies when redirects are followed ("followRedirects" is false)');
  if (c.body !== undefined && (c.method === undefined || c.method === 'GET' || c.method === 'HEAD')) issue('body', `expected a method that sends a body (POST, PUT, PATCH, DELETE, OPTIONS), not ${c.method ?? 'GET (the default)'}`);
  const bodyConditions = c.expectBody !== undefined || c.expectBodyRegex !== undefined || c.expectJson !== undefined;
  if (c.method === 'HEAD' && bodyConditions) issue('method', 'a HEAD answer has no body: expectBody, expectBodyRegex and expectJson cannot apply');
}

export const httpCheckSchema = z.strictObject(httpCheckShape).superRefine(refineHttpCheck);

export type HttpCheckConfig = z.output<typeof httpCheckSchema>;
