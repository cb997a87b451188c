import type { KV } from '@nats-io/kv';
import { parseEndpoint } from '../config/endpoint.js';
import { validateTarget } from '../config/load.js';
import { BUILTIN_DEFAULTS } from '../config/target.js';
import { bucketKey, targetToBucket } from './target-bucket.js';

/**
 * A target typed in the cluster console — `HOST:PORT`, `HOST:SERVICE` or `NAME HOST:PORT` — put in
 * the shared list (every location then checks it within a second). Returns what to say.
 */
export async function addSharedTarget(kv: KV, text: string): Promise<{ ok: boolean; message: string }> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const spec = words.pop();
  if (!spec) return { ok: false, message: 'type HOST:PORT, HOST:SERVICE or NAME HOST:PORT' };
  const ep = parseEndpoint(spec);
  if ('error' in ep) return { ok: false, message: ep.error };
  const raw = { ...(words.length ? { name: words.join(' ') } : {}), host: ep.host, ...(ep.service ? { service: ep.service } : { port: ep.port }) };
  const checked = validateTarget(raw, BUILTIN_DEFAULTS);
  if (!checked.target) return { ok: false, message: checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
  const t = checked.target;
  if (await kv.get(bucketKey(t.id)).then((e) => e?.operation === 'PUT')) return { ok: false, message: `"${t.name}" is in the shared list already` };
  await kv.put(bucketKey(t.id), JSON.stringify(targetToBucket(t)));
  return { ok: true, message: `added ${t.name} to the shared list: every location checks it from now on` };
}

export async function removeSharedTarget(kv: KV, id: string, name: string): Promise<{ ok: boolean; message: string }> {
  const e = await kv.get(bucketKey(id));
  if (!e || e.operation !== 'PUT') return { ok: false, message: `${name} is not in the shared list (an agent's own config target): change it there` };
  await kv.delete(bucketKey(id));
  return { ok: true, message: `removed ${name} from the shared list` };
}
