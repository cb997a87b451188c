// What the Ink patch does in this install: the console's incremental-rendering switch (is Ink's
// log-update loaded patched?) and, for `porthole --version --verbose`, every patched file's status,
// decided by the same code the load hook runs, on the files Node would load.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decide, packageVersion, TARGETS, targetOf } from './targets.js';

/**
 * True when Ink's log-update loaded patched; call after registerInkPatch(). Ink's package exports
 * only its index, so the module is reached by its file URL: the same URL Ink itself imports, hence
 * the same module instance.
 */
export async function incrementalRenderingFixed(): Promise<boolean> {
  try {
    const url = new URL('./log-update.js', import.meta.resolve('ink'));
    const mod = (await import(url.href)) as { portholeIncrementalFix?: unknown };
    return mod.portholeIncrementalFix === true;
  } catch {
    return false;
  }
}

/** A package's directory as Node's lookup finds it from `from` (node_modules upwards; exports aside). */
function packageDir(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export interface PatchFileStatus {
  package: string;
  /** The installed version (undefined when it cannot be read). */
  version?: string;
  file: string;
  status: 'patched' | 'stock' | 'missing';
  why?: string;
}

/** Every file the patch edits, and whether it would load patched (string-width and ansi-tokenize as Ink resolves them). */
export function inkPatchReport(): PatchFileStatus[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const ink = packageDir(here, 'ink');
  const out: PatchFileStatus[] = [];
  for (const target of TARGETS) {
    const dir = target.package === 'ink' ? ink : ink && packageDir(ink, target.package);
    for (const file of target.files) {
      const entry: Pick<PatchFileStatus, 'package' | 'file' | 'version'> = { package: target.package, file };
      const path = dir && join(dir, file);
      if (!path || !existsSync(path)) {
        out.push({ ...entry, status: 'missing', why: 'not installed' });
        continue;
      }
      const url = pathToFileURL(path).href;
      const version = packageVersion(url, target.packageJson);
      if (version) Object.assign(entry, { version });
      const found = targetOf(url);
      if (!found) {
        out.push({ ...entry, status: 'stock', why: 'not where the hook looks for it' });
        continue;
      }
      const d = decide(url, found.target, found.file, readFileSync(path, 'utf8'));
      out.push(d.status === 'patched' ? { ...entry, status: 'patched' } : { ...entry, status: 'stock', why: d.why });
    }
  }
  return out;
}
