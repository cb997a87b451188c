// Node module load hook (registered by register.ts) that bounds Ink 6.8.0's text caches, shares its
// per-frame output caches and gives string-width 8.3.0 a fast path for one-column symbols; see
// patch.ts for why. Only those exact versions are touched (targets.ts); any other version, or any
// anchor missing, loads the file as it is. `load` runs on Node's hooks thread (module.register),
// `loadSync` in the main thread (module.registerHooks, where Node has it): neither may throw.
import { decide, targetOf } from './targets.js';

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: unknown) => Promise<LoadResult>;
type NextLoadSync = (url: string, context?: unknown) => LoadResult;

function text(source: LoadResult['source']): string | undefined {
  if (typeof source === 'string') return source;
  if (source instanceof ArrayBuffer) return Buffer.from(source).toString('utf8');
  if (source && ArrayBuffer.isView(source)) return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8');
  return undefined;
}

function patched(url: string, result: LoadResult): LoadResult {
  const found = targetOf(url);
  if (!found) return result;
  try {
    const d = decide(url, found.target, found.file, text(result.source));
    return d.status === 'patched' ? { ...result, source: d.source } : result;
  } catch {
    return result;
  }
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  return patched(url, await nextLoad(url, context));
}

export function loadSync(url: string, context: unknown, nextLoad: NextLoadSync): LoadResult {
  return patched(url, nextLoad(url, context));
}
