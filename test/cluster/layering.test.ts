import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/agent.js';
import { parseEndpoint } from '../../src/config/endpoint.js';

const src = (...p: string[]) => join(ROOT, 'src', ...p);
const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1] as string);

describe('the cluster commands keep to the layers (src/cli only parses arguments)', () => {
  it('no file of src/cluster imports from src/cli', () => {
    for (const f of readdirSync(src('cluster')).filter((n) => n.endsWith('.ts'))) {
      const bad = imports(src('cluster', f)).filter((i) => i.startsWith('../cli/'));
      assert.deepEqual(bad, [], `src/cluster/${f}`);
    }
  });
  it('cluster-cmd connects to nothing, writes no file, loads no config: it hands its arguments to src/cluster/commands.ts', () => {
    const used = imports(src('cli', 'cluster-cmd.ts'));
    assert.ok(used.includes('../cluster/commands.js'));
    assert.deepEqual(used.filter((i) => /^node:fs|@nats-io|cli-connection|target-bucket|config\/load/.test(i)), []);
  });
  it('parseEndpoint lives in src/config, as the console and the cluster use it', () => {
    assert.deepEqual(parseEndpoint('db1:postgres'), { host: 'db1', port: 5432, service: 'postgres' });
    assert.deepEqual(parseEndpoint('[::1]:45432'), { host: '::1', port: 45432 });
    assert.match((parseEndpoint('db1') as { error: string }).error, /is not HOST:PORT/);
  });
});
