import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { presetFor, startTlsServices } from '../probe/conversation-presets.js';
import { decodeEscapes, decodeHex } from '../probe/send-bytes.js';
import { parseTemplate, regexGroups, templateRefs } from '../probe/send-template.js';

const bool = () => z.boolean({ error: 'expected true or false' });

const sendSchema = z
  .union([z.string(), z.strictObject({ hex: z.string() })], { error: 'expected text to send (escapes \\r \\n \\xHH) or { "hex": "..." }' })
  .superRefine((v, ctx) => {
    try {
      if (typeof v === 'string') decodeEscapes(v);
      else decodeHex(v.hex);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

/** One step of a conversation: exactly one of send, expect (a regex tested line by line), starttls. */
const stepSchema = z
  .strictObject({
    send: z.union([z.string(), z.strictObject({ hex: z.string() })], { error: 'expected text to send (escapes \\r \\n \\xHH, captures ${1} ${name}) or { "hex": "..." }' }).optional(),
    expect: z.string({ error: 'expected a regular expression a line of the answer must match' }).min(1).max(1000).optional(),
    starttls: z.literal(true, { error: 'expected true (upgrade the connection to TLS here)' }).optional(),
  }, { error: 'expected a step: {"send": "..."}, {"expect": "regex"} or {"starttls": true}' })
  .superRefine((st, ctx) => {
    const keys = (['send', 'expect', 'starttls'] as const).filter((k) => st[k] !== undefined);
    if (keys.length !== 1) ctx.addIssue({ code: 'custom', message: keys.length ? `expected one action per step, got ${keys.map((k) => `"${k}"`).join(' and ')}: make them separate steps` : 'expected one of "send", "expect" or "starttls"' });
  });

/** Keys of a step, for did-you-mean on unknown keys. */
export const STEP_KEYS: readonly string[] = Object.keys(stepSchema.shape);

const readTimeoutSchema = durationSchema(10, 120_000);

const statusSchema = z.number().int().min(100).max(599);

export const httpSchema = z.strictObject({
  path: z.string({ error: 'expected a request path starting with "/"' }).regex(/^\/[\x21-\x7e]*$/, { error: 'expected a request path starting with "/" (no spaces)' }),
  expectStatus: z.union([statusSchema, z.array(statusSchema).min(1)], { error: 'expected an HTTP status (100-599) or a list of them' }).optional(),
  host: z.string().regex(/^[A-Za-z0-9.:[\]-]{1,260}$/, { error: 'expected a Host header value' }).optional(),
}, { error: 'expected an object such as {"path": "/health"}' });

/** Target keys for the layers above the handshake (README "Deeper checks"). */
export const probeShape = {
  check: z.enum(['tcp', 'banner'], { error: 'expected "tcp" (handshake only, the default) or "banner" (the service preset conversation)' }).optional(),
  send: sendSchema.optional(),
  expect: z.string({ error: 'expected the text (or regex with expectMode "regex") the answer must contain' }).min(1).max(1000).optional(),
  expectMode: z.enum(['substring', 'regex'], { error: 'expected "substring" or "regex"' }).optional(),
  steps: z.array(stepSchema, { error: 'expected a list of steps such as [{"expect": "^220 "}, {"send": "QUIT\\r\\n"}]' }).min(1, { error: 'expected at least one step' }).max(64, { error: 'expected at most 64 steps' }).optional(),
  readTimeout: readTimeoutSchema.optional(),
  maxBytes: z.number({ error: 'expected a byte count from 1 to 65536' }).int().min(1).max(65536).optional(),
  mismatch: z.enum(['critical', 'warning'], { error: 'expected "critical" (DOWN) or "warning" (SLOW-class)' }).optional(),
  tls: bool().optional(),
  starttls: bool().optional(),
  tlsVerify: bool().optional(),
  sni: z.string().regex(/^[A-Za-z0-9_.-]{1,253}$/, { error: 'expected a server name for SNI' }).optional(),
  tlsCa: z.string({ error: 'expected a path to a PEM file of trusted CAs' }).min(1).optional(),
  certWarnDays: z.number({ error: 'expected a number of days from 0 to 3650' }).int().min(0).max(3650).optional(),
  http: httpSchema.optional(),
  addresses: z.enum(['first', 'all'], { error: 'expected "first" (the default) or "all" (every A and AAAA record)' }).optional(),
  quorum: z.number({ error: 'expected how many addresses must pass (a whole number from 1)' }).int().min(1).max(16).optional(),
};

type ProbeKeys = { [K in keyof typeof probeShape]?: z.output<(typeof probeShape)[K]> } & { service?: string; port?: number };

/** Cross-key rules: what only makes sense together. */
export function refineProbe(t: ProbeKeys, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (t.check === 'banner' && t.send === undefined && t.expect === undefined && !presetFor(t.service)) {
    issue('check', `no conversation preset for ${t.service ? `service "${t.service}"` : 'a target without "service"'}; give "send"/"expect" (presets: redis, nats, mysql, mariadb, postgres, smtp, submission, smtps, imap, imaps, pop3, pop3s, ssh, amqp, mqtt, memcached, https)`);
  }
  if (t.starttls) {
    if (!t.service || !startTlsServices().includes(t.service)) issue('starttls', `expected a service that can upgrade in place (${startTlsServices().join(', ')})`);
    if (t.tls) issue('starttls', 'expected either "tls" (TLS from the first byte) or "starttls" (upgrade in place), not both');
    if (t.send !== undefined || t.expect !== undefined) issue('starttls', 'cannot be combined with "send"/"expect"');
  }
  if (t.expectMode === 'regex' && t.expect !== undefined) {
    try {
      new RegExp(t.expect);
    } catch (err) {
      issue('expect', `not a valid regular expression: ${(err as Error).message}`);
    }
  }
  if (t.expectMode !== undefined && t.expect === undefined) issue('expectMode', 'expected "expect" to go with it');
  if (t.steps) refineSteps(t, ctx);
  const tlsOn = t.tls || t.starttls || presetFor(t.service)?.tlsFirst || t.steps?.some((st) => st.starttls);
  for (const key of ['tlsVerify', 'sni', 'tlsCa', 'certWarnDays'] as const) {
    if (t[key] !== undefined && !tlsOn) issue(key, 'only applies with "tls": true, "starttls": true, a {"starttls": true} step or a TLS service (https, imaps, smtps, pop3s)');
  }
  if (t.quorum !== undefined && t.addresses !== 'all') issue('quorum', 'only applies with "addresses": "all"');
}

/**
 * A conversation in steps: each regex valid, each send's escapes and captures valid, and every
 * capture it uses defined by an earlier expect (numbered: the latest expect's; named: any earlier one).
 */
function refineSteps(t: ProbeKeys, ctx: z.RefinementCtx): void {
  const steps = t.steps ?? [];
  const at = (i: number, key: string, message: string) => ctx.addIssue({ code: 'custom', path: ['steps', i, key], message });
  for (const key of ['send', 'expect', 'expectMode', 'check', 'starttls'] as const) {
    if (t[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `cannot be combined with "steps" (${key === 'starttls' ? 'add a {"starttls": true} step' : key === 'check' ? 'the steps are the conversation' : 'make it a step'})` });
  }
  let latest: { index: number; count: number } | undefined;
  const names = new Set<string>();
  // Why the connection is already TLS where a starttls step stands, if it is.
  let tlsBy = t.tls ? '"tls": true' : undefined;
  steps.forEach((st, i) => {
    if (st.starttls) {
      if (tlsBy) at(i, 'starttls', `the connection is already TLS here (${tlsBy})`);
      tlsBy ??= `the starttls at steps[${i}]`;
    }
    if (st.expect !== undefined) {
      try {
        new RegExp(st.expect);
        const g = regexGroups(st.expect);
        latest = { index: i, count: g.count };
        for (const n of g.names) names.add(n);
      } catch (err) {
        at(i, 'expect', `not a valid regular expression: ${(err as Error).message}`);
      }
    }
    if (typeof st.send === 'string') {
      let refs: string[];
      try {
        refs = templateRefs(parseTemplate(st.send));
      } catch (err) {
        return at(i, 'send', (err as Error).message);
      }
      for (const ref of refs) {
        if (!/^\d+$/.test(ref)) {
          if (!names.has(ref)) at(i, 'send', `\${${ref}} refers to a named capture no earlier "expect" defines (write (?<${ref}>...) in one)`);
        } else if (!latest) at(i, 'send', `\${${ref}} refers to a capture, but no "expect" step comes before it`);
        else if (Number(ref) > latest.count) at(i, 'send', `\${${ref}} refers to capture ${ref}, but the expect at steps[${latest.index}] has ${latest.count} group${latest.count === 1 ? '' : 's'}`);
      }
    } else if (st.send !== undefined) {
      try {
        decodeHex(st.send.hex);
      } catch (err) {
        at(i, 'send', (err as Error).message);
      }
    }
  });
}
