// What a check leaves in the log of the server it watches (README "Doing no harm to what is watched"):
// Mosquitto of the test's own, and the machine's RabbitMQ, read-only (a few checks, its log only read).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { accepts } from '../helpers/servers.js';
import { freePort, waitFor } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const CHECKS = 3;

/** Runs `porthole check` on one target of the given kind, `n` times, one after the other. */
function checkTimes(n: number, dir: string, target: Record<string, unknown>): void {
  const config = join(dir, `check-${String(target.name)}.json`);
  writeFileSync(config, JSON.stringify({ defaults: { retries: 0, timeout: '3s' }, targets: [target] }));
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, [CLI, 'check', '--config', config], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  }
}

/** Lines added to a log since `from` bytes, once it has been still for a moment (servers log asynchronously). */
async function linesSince(file: string, from: number): Promise<string[]> {
  let last = -1;
  await waitFor('the log to settle', () => {
    const size = statSync(file).size;
    const still = size === last;
    last = size;
    return still;
  }, 10_000, 700);
  return readFileSync(file).subarray(from).toString('utf8').split('\n').filter((l) => l.trim());
}

describe('mosquitto (its own instance): what a check leaves in its log', { skip: which('mosquitto') ? false : 'mosquitto missing (Debian package mosquitto)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-mqtt-'));
  let port = 0;
  let proc: ChildProcess;
  // Its log on stderr (as root it drops to the mosquitto user, who cannot write into this temp dir).
  let log = '';
  const logLines = () => log.split('\n').filter((l) => l.trim());
  /** Lines logged by what `act` did, once the log has been still for a moment. */
  const settled = async (): Promise<void> => {
    let last = -1;
    await waitFor('the log to settle', () => {
      const n = logLines().length;
      const still = n === last;
      last = n;
      return still;
    }, 10_000, 700);
  };
  const loggedBy = async (act: () => void): Promise<string[]> => {
    // What came before (the readiness probe's own connection) is not counted.
    await settled();
    const before = logLines().length;
    act();
    await settled();
    return logLines().slice(before);
  };

  before(async () => {
    port = await freePort();
    writeFileSync(join(dir, 'mosquitto.conf'), [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', ''].join('\n'));
    proc = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    await waitFor('mosquitto to listen', () => accepts(port), 10_000, 50);
  });
  after(() => {
    proc?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(`a plain check: at most 2 lines; a banner check: at most 3 (${CHECKS} of each)`, async () => {
    const plain = await loggedBy(() => checkTimes(CHECKS, dir, { name: 'mqtt-tcp', host: '127.0.0.1', port }));
    assert.ok(plain.length <= 2 * CHECKS, `plain checks left ${plain.length} lines:\n${plain.join('\n')}`);
    const banner = await loggedBy(() => checkTimes(CHECKS, dir, { name: 'mqtt-banner', host: '127.0.0.1', port, service: 'mqtt', check: 'banner' }));
    assert.ok(banner.length <= 3 * CHECKS, `banner checks left ${banner.length} lines:\n${banner.join('\n')}`);
    assert.ok(!banner.some((l) => /error|protocol|bad/i.test(l)), `no error line:\n${banner.join('\n')}`);
  });
});

/** The machine's RabbitMQ log, when there is one to read. */
function rabbitLog(): string | undefined {
  const dir = '/var/log/rabbitmq';
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => f.endsWith('.log') && !f.includes('upgrade'));
  return file ? join(dir, file) : undefined;
}

const RABBIT_LOG = rabbitLog();
const RABBIT_UP = RABBIT_LOG ? await accepts(5672) : false;

describe("the machine's RabbitMQ (read-only): what a check leaves in its log", () => {
  const log = RABBIT_LOG;
  const skip = !log ? 'no RabbitMQ log in /var/log/rabbitmq' : !RABBIT_UP ? 'RabbitMQ is not listening on 127.0.0.1:5672' : false;
  const dir = mkdtempSync(join(tmpdir(), 'porthole-amqp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`a plain check: nothing; a banner check: at most 3 lines, no error (${CHECKS} of each)`, { skip }, async () => {
    let from = statSync(log!).size;
    checkTimes(CHECKS, dir, { name: 'amqp-tcp', host: '127.0.0.1', port: 5672 });
    const plain = (await linesSince(log!, from)).filter((l) => /connection/i.test(l));
    assert.equal(plain.length, 0, `plain checks were logged:\n${plain.join('\n')}`);
    from = statSync(log!).size;
    checkTimes(CHECKS, dir, { name: 'amqp-banner', host: '127.0.0.1', port: 5672, service: 'amqp', check: 'banner' });
    const banner = (await linesSince(log!, from)).filter((l) => /connection/i.test(l) || /^\s/.test(l));
    assert.ok(banner.length <= 3 * CHECKS, `banner checks left ${banner.length} lines:\n${banner.join('\n')}`);
    assert.ok(!banner.some((l) => /\[error\]/i.test(l)), `no error line:\n${banner.join('\n')}`);
  });
});
