// Which files the Ink patch edits, the one version of their package each edit was written against,
// and the decision for one loaded file: shared by the load hook and `porthole --version --verbose`,
// so the report says exactly what the hook does.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { patchInkSource, THROTTLE_ENTRY, type PatchedFile } from './patch.js';

export interface PatchTarget {
  package: string;
  version: string;
  /** Matches the file's URL path; group 1 names the PatchedFile. */
  file: RegExp;
  /** The package's package.json, relative to the file. */
  packageJson: string;
  /** The files, relative to the package root (for the report). */
  files: readonly string[];
}

export const TARGETS: readonly PatchTarget[] = [
  {
    package: 'ink',
    version: '6.8.0',
    file: /\/ink\/build\/(ink|measure-text|wrap-text|output|render-node-to-output|log-update)\.js$/,
    packageJson: '../package.json',
    files: ['build/ink.js', 'build/measure-text.js', 'build/wrap-text.js', 'build/output.js', 'build/render-node-to-output.js', 'build/log-update.js'],
  },
  { package: 'string-width', version: '8.3.0', file: /\/node_modules\/(string-width)\/index\.js$/, packageJson: './package.json', files: ['index.js'] },
  {
    package: '@alcalzone/ansi-tokenize',
    version: '0.2.5',
    file: /\/@alcalzone\/ansi-tokenize\/build\/(tokenize|styledChars)\.js$/,
    packageJson: '../package.json',
    files: ['build/tokenize.js', 'build/styledChars.js'],
  },
];

export type Decision = { status: 'patched'; source: string } | { status: 'stock'; why: string };

const versions = new Map<string, string | undefined>();
export function packageVersion(url: string, packageJson: string): string | undefined {
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

/** The target a URL belongs to, and which of its files it is; undefined for every other file. */
export function targetOf(url: string): { target: PatchTarget; file: PatchedFile } | undefined {
  const path = url.split(/[?#]/)[0] ?? '';
  for (const target of TARGETS) {
    const file = target.file.exec(path)?.[1] as PatchedFile | undefined;
    if (file) return { target, file };
  }
  return undefined;
}

/** What the hook does with one of the target files: its patched source, or why it stays stock. */
export function decide(url: string, target: PatchTarget, file: PatchedFile, source: string | undefined): Decision {
  const version = packageVersion(url, target.packageJson);
  if (version !== target.version) return { status: 'stock', why: `${target.package} ${version ?? '(version unknown)'}, the patch is for ${target.version}` };
  if (source === undefined) return { status: 'stock', why: 'source not readable' };
  if (file === 'ink' && !throttleEntryInstalled(url)) return { status: 'stock', why: `${THROTTLE_ENTRY} is not installed where Ink would import it` };
  const patched = patchInkSource(file, source);
  return patched === undefined ? { status: 'stock', why: 'an anchor of the patch is missing or not unique' } : { status: 'patched', source: patched };
}

/** Whether importing THROTTLE_ENTRY from this Ink file finds an ES module (an es-toolkit without that entry point leaves ink.js stock). */
function throttleEntryInstalled(url: string): boolean {
  try {
    // require() resolves the CommonJS twin (compat/throttle.js); the import condition's file sits beside it.
    const cjs = createRequire(url).resolve(THROTTLE_ENTRY);
    return existsSync(cjs.replace(/\.js$/, '.mjs'));
  } catch {
    return false;
  }
}
