// Runs every test/**/*.test.ts(x) with node's built-in runner through tsx, one file at a time
// (tests start real servers and network namespaces; running them in parallel would fight over ports
// and CPU). Node 20's --test does not expand globs itself. Extra arguments narrow the run to files
// whose path contains any of them: `npm test -- probe engine`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'fixtures' ? [] : find(p);
    return /\.test\.tsx?$/.test(d.name) ? [relative(root, p)] : [];
  });
}

const files = find(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=180000', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
