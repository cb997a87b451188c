import { z } from 'zod';
import { durationSchema } from '../../config/duration-schema.js';

/** The "ping" block of a ping target; every key optional ({"kind": "ping", "host": "db1"} is enough). */
export const pingSchema = z.strictObject(
  {
    count: z.number({ error: 'expected a number of echoes from 1 to 100' }).int({ error: 'expected a number of echoes from 1 to 100' }).min(1, { error: 'expected a number of echoes from 1 to 100' }).max(100, { error: 'expected a number of echoes from 1 to 100' }).optional(),
    period: durationSchema(10, 10_000).optional(),
    lossWarn: z.number({ error: 'expected a loss percentage from 0 to 100' }).min(0, { error: 'expected a loss percentage from 0 to 100' }).max(100, { error: 'expected a loss percentage from 0 to 100' }).optional(),
  },
  { error: 'expected ping settings such as {"count": 5, "period": "200ms", "lossWarn": 20}' },
);
