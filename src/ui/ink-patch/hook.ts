// Node module load hook (registered by register.ts) that bounds Ink 6.8.0's text caches and shares
// its per-frame output caches; see patch.ts for why. Only ink 6.8.0 is touched; any other version,
// or any anchor missing, loads stock Ink. Runs on Node's hooks thread: it must never throw.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type InkFile, patchInkSource } from './patch.js';

const INK_VERSION = '6.8.0';
const TARGET = /\/ink\/build\/(measure-text|wrap-text|output|render-node-to-output)\.js$/;

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: unknown) => Promise<LoadResult>;

const versions = new Map<string, string | undefined>();
function inkVersion(url: string): string | undefined {
  const pkg = new URL('../package.json', url).href;
  if (!versions.has(pkg)) {
    try {
      const v: unknown = JSON.parse(readFileSync(fileURLToPath(pkg), 'utf8')).version;
      versions.set(pkg, typeof v === 'string' ? v : undefined);
    } catch {
      versions.set(pkg, undefined);
    }
  }
  return versions.get(pkg);
}

function text(source: LoadResult['source']): string | undefined {
  if (typeof source === 'string') return source;
  if (source instanceof ArrayBuffer) return Buffer.from(source).toString('utf8');
  if (source && ArrayBuffer.isView(source)) return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8');
  return undefined;
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  const file = TARGET.exec(url.split(/[?#]/)[0] ?? '')?.[1] as InkFile | undefined;
  if (!file) return result;
  try {
    if (inkVersion(url) !== INK_VERSION) return result;
    const source = text(result.source);
    const patched = source === undefined ? undefined : patchInkSource(file, source);
    return patched === undefined ? result : { ...result, source: patched };
  } catch {
    return result;
  }
}
