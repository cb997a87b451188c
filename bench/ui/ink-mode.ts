// Patched vs stock Ink for the UI benches. With no BENCH_INK set, the bench runs itself twice in child
// processes (patched, then stock) and prefixes each line; BENCH_INK=patched|stock (or --stock /
// --patched) runs one mode in-process. Must run before ink is imported (the benches import it lazily).
import { spawnSync } from 'node:child_process';
import { registerInkPatch } from '../../src/ui/ink-patch/register.js';

const MODES = ['patched', 'stock'] as const;
type Mode = (typeof MODES)[number];

function chosen(): Mode | undefined {
  if (process.argv.includes('--stock')) return 'stock';
  if (process.argv.includes('--patched')) return 'patched';
  const env = process.env.BENCH_INK;
  return env === 'stock' || env === 'patched' ? env : undefined;
}

/** In the parent: runs both modes and exits. In a child: sets up Ink for its mode and returns it. */
export function inkMode(): Mode {
  const mode = chosen();
  if (mode === 'stock') {
    process.env.PORTHOLE_STOCK_INK = '1';
    return 'stock';
  }
  if (mode === 'patched') {
    delete process.env.PORTHOLE_STOCK_INK;
    if (!registerInkPatch()) throw new Error('ink-patch could not be registered (module.register missing?)');
    return 'patched';
  }
  for (const m of MODES) {
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, BENCH_INK: m },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const line of r.stdout.split('\n').filter(Boolean)) console.log(`${m.padEnd(7)} | ${line}`);
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  process.exit(0);
}
