// `porthole --version [--verbose]`: the version; verbose adds Node's and the state of the Ink patch,
// file by file (what the load hook will do when the console starts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../runtime/paths.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function runVersion(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  if (!argv.includes('--verbose') && !argv.includes('-v')) {
    out.write(`${version()}\n`);
    return 0;
  }
  const [{ hookApi }, { inkPatchReport }] = await Promise.all([import('../ui/ink-patch/register.js'), import('../ui/ink-patch/status.js')]);
  const api = hookApi();
  const how =
    process.env.PORTHOLE_STOCK_INK === '1'
      ? 'off (PORTHOLE_STOCK_INK=1): the console loads stock Ink'
      : api
        ? `applied through ${api} as the console loads Ink`
        : 'unavailable: this Node offers no module hooks, the console loads stock Ink';
  const rows = inkPatchReport();
  const name = (r: (typeof rows)[number]) => `${r.package}${r.version ? ` ${r.version}` : ''} ${r.file}`;
  const width = Math.max(...rows.map((r) => name(r).length));
  const lines = [
    `porthole ${version()}`,
    `node ${process.version} (${process.platform} ${process.arch})`,
    `ink patch: ${how}`,
    ...rows.map((r) => `  ${name(r).padEnd(width)}  ${r.status}${r.why ? ` (${r.why})` : ''}`),
  ];
  out.write(`${lines.join('\n')}\n`);
  return 0;
}
