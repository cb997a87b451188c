// Builds the TCP_INFO addon (src/native/tcp_info.c) with node-gyp during `npm install` / `npm ci`.
// Never fails the install: without the addon porthole times handshakes with the JS clock and says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const note = (why) => console.warn(`porthole: handshake times will use the JS clock (${why}); see README "Handshake clock"`);

if (process.platform !== 'linux') {
  note('the TCP_INFO addon is Linux-only');
  process.exit(0);
}

// npm hands its own node-gyp to install scripts; outside npm, the one bundled with npm next to node.
const prefix = dirname(dirname(process.execPath));
const bundled = join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp || (existsSync(bundled) ? bundled : undefined);
if (!gyp) {
  note('node-gyp not found');
  process.exit(0);
}
const args = [gyp, 'rebuild', `--directory=${here}`];
// The running node's own headers, when it has them, so nothing needs fetching.
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-15).join('\n'));
  note(`building the TCP_INFO addon failed${r.error ? `: ${r.error.message}` : ''}`);
  process.exit(0);
}
console.log('porthole: built the TCP_INFO addon (kernel handshake clock)');
