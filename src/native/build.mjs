// Builds the native addons with node-gyp during `npm install` / `npm ci`: the TCP_INFO reader
// (src/native/tcp_info.c, the kernel's handshake clock) and discover's connect scan (scan.c).
// Never fails the install: without an addon porthole falls back (handshake times from the JS clock,
// discover's scan in JavaScript) and says so. `make -k` builds each addon even when the other fails.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ADDONS = [
  { file: 'porthole_tcp_info.node', built: 'built the TCP_INFO addon (kernel handshake clock)', missing: 'handshake times will use the JS clock', see: 'Handshake clock' },
  { file: 'porthole_scan.node', built: 'built the scan addon (discover scans in C)', missing: "discover's scan will run in JavaScript", see: 'Discover' },
];
const noteAll = (why) => {
  for (const a of ADDONS) console.warn(`porthole: ${a.missing} (${why}); see README "${a.see}"`);
};

if (process.platform !== 'linux') {
  noteAll('the addons are Linux-only');
  process.exit(0);
}

// npm hands its own node-gyp to install scripts; outside npm, the one bundled with npm next to node.
const prefix = dirname(dirname(process.execPath));
const bundled = join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp || (existsSync(bundled) ? bundled : undefined);
if (!gyp) {
  noteAll('node-gyp not found');
  process.exit(0);
}
const release = join(here, 'build', 'Release');
// No addon of an earlier build may pass for this one's.
for (const a of ADDONS) rmSync(join(release, a.file), { force: true });
const args = [gyp, 'rebuild', `--directory=${here}`];
// The running node's own headers, when it has them, so nothing needs fetching.
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const env = { ...process.env, MAKEFLAGS: `${process.env.MAKEFLAGS ?? ''} -k`.trim() };
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env });
if (r.status !== 0) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-15).join('\n'));
for (const a of ADDONS) {
  if (existsSync(join(release, a.file))) console.log(`porthole: ${a.built}`);
  else console.warn(`porthole: ${a.missing} (building ${a.file} failed${r.error ? `: ${r.error.message}` : ''}); see README "${a.see}"`);
}
