import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseCommand } from './command-spec.js';
import { DISCOVER } from './specs.js';
import { hostProblem, normalizeHost } from '../config/host.js';
import { parseDuration } from '../config/duration.js';
import type { Identity } from '../discover/identify.js';
import type { OpenPort } from '../discover/open-port.js';
import { defaultConcurrency, openFileLimit } from '../discover/limits.js';
import { parsePorts } from '../discover/ports.js';
import { scanEngineFor, scanPorts, type ScanOptions } from '../discover/scan.js';
import { sanitize } from '../text/sanitize.js';

// The scan is the fast path: it loads only what parses the command line and dials. The service
// names, the conversations, the resolver and the config schema (zod) are imported when used.

function fail(err: NodeJS.WritableStream, message: string): number {
  err.write(`porthole discover: ${sanitize(message, 300)}\nTry "porthole discover --help".\n`);
  return 2;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, file);
}

function table(rows: readonly OpenPort[]): string {
  const lines = ['PORT       STATE  SERVICE      NAMED BY  EVIDENCE'];
  for (const p of rows) {
    const label = p.label ?? p.service ?? '?';
    lines.push(`${`${p.port}/tcp`.padEnd(10)} open   ${label.padEnd(12)} ${(p.how ?? '').padEnd(9)} ${sanitize(p.evidence ?? '', 60)}`.trimEnd());
  }
  return lines.join('\n');
}

function withIdentity(f: OpenPort, id: Identity): OpenPort {
  return {
    ...f,
    ...(id.service ? { service: id.service } : {}),
    ...(id.label ? { label: id.label } : {}),
    ...(id.how ? { how: id.how } : {}),
    ...(id.evidence ? { evidence: id.evidence } : {}),
    ...(id.tls ? { tls: true, tlsTrusted: id.tlsTrusted === true } : {}),
    ...(id.httpStatus !== undefined ? { httpStatus: id.httpStatus } : {}),
    ...(id.confirmed ? { confirmed: true } : {}),
    asked: id.asked,
    identifyMs: Math.round(id.elapsedMs),
  };
}

export async function runDiscover(argv: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const parsed = parseCommand(DISCOVER, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values;
  const positionals = parsed.args;
  if (positionals.length !== 1) return fail(io.err, 'give exactly one HOST');
  const problem = hostProblem(positionals[0]!);
  if (problem) return fail(io.err, `"${sanitize(positionals[0])}": ${problem}`);
  const host = normalizeHost(positionals[0]!);
  const ports = parsePorts((values.ports as string | undefined) ?? 'common');
  if ('error' in ports) return fail(io.err, ports.error);
  const concurrency = values.concurrency === undefined ? defaultConcurrency(openFileLimit()) : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 5000) return fail(io.err, '--concurrency expects a whole number from 1 to 5000');
  const timeoutMs = values.timeout === undefined ? 1000 : parseDuration(values.timeout as string);
  if (timeoutMs === undefined || timeoutMs < 10 || timeoutMs > 60_000) return fail(io.err, '--timeout expects a duration from 10ms to 60s, such as "1s" or "300ms"');
  if (values['4'] && values['6']) return fail(io.err, '-4 and -6 cannot be used together');
  const family = values['4'] ? 4 : values['6'] ? 6 : 0;
  const file = values.write as string | undefined;
  if (file && existsSync(file) && !values.force) return fail(io.err, `${file} exists; add --force to overwrite it`);

  let resolved: { address: string; family: 4 | 6 };
  const literal = isIP(host);
  if (literal !== 0 && (family === 0 || family === literal)) resolved = { address: host, family: literal as 4 | 6 };
  else {
    try {
      const { resolveHost } = await import('../probe/resolve.js');
      resolved = await resolveHost(host, family, 5_000);
    } catch (e) {
      io.err.write(`porthole discover: ${sanitize((e as Error).message)}\n`);
      return 1;
    }
  }
  const banners = !values['no-banners'];
  // Loaded while a --no-banners scan runs (it runs off this thread), awaited once the ports are in.
  const serviceNames = import('../config/service-ports.js');
  // With banners, each open port's connection goes straight to identification (it starts with what
  // the server says first on that very connection); without, it is closed at once, as nmap -sT does.
  const identifier = banners ? new (await import('../discover/identify.js')).Identifier(resolved.address, resolved.family, timeoutMs, (await serviceNames).serviceForPort) : undefined;
  const naming = new Map<number, Promise<Identity>>();
  const scanOptions: ScanOptions = {
    open: identifier ? (f, socket) => naming.set(f.port, identifier.identify(f.port, f.connectMs ?? 0, socket).catch((): Identity => ({ asked: 0, elapsedMs: 0 }))) : 'at-once',
  };
  const t0 = performance.now();
  let findings;
  try {
    findings = await scanPorts(resolved.address, resolved.family, ports, concurrency, timeoutMs, scanOptions);
  } catch (e) {
    io.err.write(`porthole discover: ${sanitize((e as Error).message)}\n`);
    return 1;
  }
  const scanMs = performance.now() - t0;
  const { serviceForPort } = await serviceNames;
  const open: OpenPort[] = [];
  const closed: number[] = [];
  const filtered: number[] = [];
  // One pass: a 10,000-port scan is mostly closed ports, and this runs on code V8 has not warmed up.
  for (const f of findings) {
    if (f.state === 'closed') closed.push(f.port);
    else if (f.state === 'filtered') filtered.push(f.port);
    else {
      const named = naming.get(f.port);
      if (named) open.push(withIdentity(f, await named));
      else {
        const service = serviceForPort(f.port);
        open.push({ ...f, ...(service ? { service, label: service, how: 'port' as const } : {}) });
      }
    }
  }
  const elapsedMs = performance.now() - t0;

  if (file) {
    const { discoveredConfig } = await import('../discover/config-out.js');
    writeAtomically(file, `${JSON.stringify(discoveredConfig(host, open), null, 2)}\n`);
  }
  if (values.json) {
    const report = {
      host: host,
      address: resolved.address,
      family: resolved.family,
      scanned: ports.length,
      scanMs: Math.round(scanMs),
      scan: scanEngineFor(scanOptions),
      elapsedMs: Math.round(elapsedMs),
      open: open.map((p) => ({ ...p, ...(p.evidence ? { evidence: sanitize(p.evidence) } : {}) })),
      closed,
      filtered,
      ...(file ? { wrote: file } : {}),
    };
    io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.out.write(`porthole discover ${sanitize(host)} (${resolved.address}): ${ports.length} ports in ${(elapsedMs / 1000).toFixed(2)}s — ${open.length} open, ${closed.length} closed, ${filtered.length} filtered\n`);
    if (open.length) io.out.write(`${table(open)}\n`);
    if (file) io.out.write(`wrote ${file} (${open.length} targets); check it with: porthole config validate ${file}\n`);
  }
  return 0;
}
