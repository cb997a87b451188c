import { z } from 'zod';
import { DNS_TYPES } from './types.js';

const NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_*](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/** The "dns" block of a dns target: what to ask the server (the target's host and port) and what must come back. */
export const dnsSchema = z.strictObject(
  {
    query: z.string({ error: 'expected the name to look up (text)' }).regex(NAME, { error: 'expected a domain name to look up, such as "example.test"' }),
    type: z.enum(DNS_TYPES, { error: `expected a record type: ${DNS_TYPES.join(', ')}` }).optional(),
    expect: z
      .array(z.string({ error: 'expected an answer (text)' }).min(1).max(1000), { error: 'expected a list of answers, such as ["10.0.0.1"]' })
      .min(1, { error: 'expected at least one answer (leave "expect" out to accept any answer)' })
      .max(50)
      .optional(),
  },
  { error: 'expected DNS query settings such as {"query": "example.test", "type": "A"}' },
);
