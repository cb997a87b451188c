// Node module load hook (registered by register.ts) that bounds Ink 6.8.0's text caches, shares its
// per-frame output caches and gives string-width 8.3.0 a fast path for one-column symbols; see
// patch.ts for why. Only those exact versions are touched; any other version, or any anchor missing,
// loads the file as it is. Runs on Node's hooks thread: it must never throw.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PatchedFile, patchInkSource } from './patch.js';

/** Which files, found how, and the one version of their package each patch was written against. */
const TARGETS: readonly { file: RegExp; packageJson: string; version: string }[] = [
  { file: /\/ink\/build\/(measure-text|wrap-text|output|render-node-to-output|log-update)\.js$/, packageJson: '../package.json', version: '6.8.0' },
  { file: /\/node_modules\/(string-width)\/index\.js$/, packageJson: './package.json', version: '8.3.0' },
  { file: /\/@alcalzone\/ansi-tokenize\/build\/(tokenize|styledChars)\.js$/, packageJson: '../package.json', version: '0.2.5' },
];

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: unknown) => Promise<LoadResult>;

const versions = new Map<string, string | undefined>();
function packageVersion(url: string, packageJson: string): string | undefined {
  const pkg = new URL(packageJson, url).href;
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
  const path = url.split(/[?#]/)[0] ?? '';
  let target: (typeof TARGETS)[number] | undefined;
  let file: PatchedFile | undefined;
  for (const t of TARGETS) {
    file = t.file.exec(path)?.[1] as PatchedFile | undefined;
    if (file) {
      target = t;
      break;
    }
  }
  if (!target || !file) return result;
  try {
    if (packageVersion(url, target.packageJson) !== target.version) return result;
    const source = text(result.source);
    const patched = source === undefined ? undefined : patchInkSource(file, source);
    return patched === undefined ? result : { ...result, source: patched };
  } catch {
    return result;
  }
}
