import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { parseCommand } from './command-spec.js';
import { DISCOVER } from './specs.js';
import { hostSchema } from '../config/schema.js';
import { parseDuration } from '../config/duration.js';
import { confirmServices, type OpenPort } from '../discover/confirm.js';
import { discoveredConfig } from '../discover/config-out.js';
import { parsePorts } from '../discover/ports.js';
import { scanPorts } from '../discover/scan.js';
import { resolveHost } from '../probe/resolve.js';
import { sanitize } from '../text/sanitize.js';

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
  const lines = ['PORT       STATE  SERVICE        CONFIRMED'];
  for (const p of rows) {
    const confirmed = p.confirmed === undefined ? '' : `${p.confirmed ? 'yes' : 'NO '} ${sanitize(p.evidence ?? '', 60)}`;
    lines.push(`${`${p.port}/tcp`.padEnd(10)} open   ${(p.service ?? '?').padEnd(14)} ${confirmed}`.trimEnd());
  }
  return lines.join('\n');
}

export async function runDiscover(argv: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const parsed = parseCommand(DISCOVER, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values;
  const positionals = parsed.args;
  if (positionals.length !== 1) return fail(io.err, 'give exactly one HOST');
  const host = hostSchema.safeParse(positionals[0]);
  if (!host.success) return fail(io.err, `"${sanitize(positionals[0])}": ${host.error.issues[0]?.message ?? 'invalid host'}`);
  const ports = parsePorts((values.ports as string | undefined) ?? 'common');
  if ('error' in ports) return fail(io.err, ports.error);
  const concurrency = values.concurrency === undefined ? 500 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 5000) return fail(io.err, '--concurrency expects a whole number from 1 to 5000');
  const timeoutMs = values.timeout === undefined ? 1000 : parseDuration(values.timeout as string);
  if (timeoutMs === undefined || timeoutMs < 10 || timeoutMs > 60_000) return fail(io.err, '--timeout expects a duration from 10ms to 60s, such as "1s" or "300ms"');
  if (values['4'] && values['6']) return fail(io.err, '-4 and -6 cannot be used together');
  const family = values['4'] ? 4 : values['6'] ? 6 : 0;
  const file = values.write as string | undefined;
  if (file && existsSync(file) && !values.force) return fail(io.err, `${file} exists; add --force to overwrite it`);

  let resolved;
  try {
    resolved = await resolveHost(host.data, family, 5_000);
  } catch (e) {
    io.err.write(`porthole discover: ${sanitize((e as Error).message)}\n`);
    return 1;
  }
  const t0 = performance.now();
  const findings = await scanPorts(resolved.address, resolved.family, ports, concurrency, timeoutMs);
  const scanMs = performance.now() - t0;
  const open = await confirmServices(resolved.address, resolved.family, findings.filter((f) => f.state === 'open'), timeoutMs, !values['no-banners']);
  const closed = findings.filter((f) => f.state === 'closed').map((f) => f.port);
  const filtered = findings.filter((f) => f.state === 'filtered').map((f) => f.port);
  const elapsedMs = performance.now() - t0;

  if (file) writeAtomically(file, `${JSON.stringify(discoveredConfig(host.data, open), null, 2)}\n`);
  if (values.json) {
    const report = {
      host: host.data,
      address: resolved.address,
      family: resolved.family,
      scanned: ports.length,
      scanMs: Math.round(scanMs),
      elapsedMs: Math.round(elapsedMs),
      open: open.map((p) => ({ ...p, ...(p.evidence ? { evidence: sanitize(p.evidence) } : {}) })),
      closed,
      filtered,
      ...(file ? { wrote: file } : {}),
    };
    io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.out.write(`porthole discover ${sanitize(host.data)} (${resolved.address}): ${ports.length} ports in ${(elapsedMs / 1000).toFixed(2)}s — ${open.length} open, ${closed.length} closed, ${filtered.length} filtered\n`);
    if (open.length) io.out.write(`${table(open)}\n`);
    if (file) io.out.write(`wrote ${file} (${open.length} targets); check it with: porthole config validate ${file}\n`);
  }
  return 0;
}
