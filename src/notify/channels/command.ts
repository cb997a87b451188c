import { spawn } from 'node:child_process';
import type { CommandNotifierConfig } from '../../config/notify-schema.js';
import { bodyExcerpt, describeSendError } from '../describe-error.js';
import { commandEnv, webhookJson } from '../format.js';
import type { Redactor } from '../redact.js';
import type { AlertMessage, Channel, SendResult } from '../types.js';

const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
const MAX_STDERR = 4096;
/**
 * The child gets these from porthole's environment and nothing else: the environment also holds the
 * secrets of the other channels (tokens, passwords), which a notification script has no need for.
 */
const PASSED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

export function commandChannel(name: string, cfg: CommandNotifierConfig, redactor: Redactor): Channel {
  const timeoutMs = cfg.timeout || DEFAULT_COMMAND_TIMEOUT_MS;
  const args = cfg.args ?? [];
  return {
    name,
    type: 'command',
    destination: `run ${cfg.command}`,
    send(message: AlertMessage): Promise<SendResult> {
      const env: Record<string, string> = {};
      for (const k of PASSED_ENV) {
        const v = process.env[k];
        if (v !== undefined) env[k] = v;
      }
      Object.assign(env, commandEnv(message));
      return new Promise<SendResult>((resolve) => {
        let stderr = '';
        let timedOut = false;
        let settled = false;
        const finish = (r: SendResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(r.ok ? r : { ...r, error: redactor.redact(r.error) });
        };
        const child = spawn(cfg.command, args, { env, stdio: ['pipe', 'ignore', 'pipe'], detached: false });
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          if (stderr.length < MAX_STDERR) stderr += d;
        });
        child.on('error', (err) => finish({ ok: false, error: `cannot run ${cfg.command}: ${describeSendError(err, timeoutMs)}` }));
        child.on('close', (code, signal) => {
          if (timedOut) return finish({ ok: false, error: `timeout: ${cfg.command} still running after ${timeoutMs}ms (killed)` });
          if (code === 0) return finish({ ok: true, detail: 'exit 0' });
          const why = signal ? `killed by ${signal}` : `exit ${code ?? '?'}`;
          const excerpt = bodyExcerpt(stderr);
          finish({ ok: false, error: `${cfg.command}: ${why}${excerpt ? `: ${excerpt}` : ''}` });
        });
        // A program that does not read stdin closes the pipe: that is not a failure.
        child.stdin.on('error', () => {});
        child.stdin.end(`${JSON.stringify(webhookJson(message))}\n`);
      });
    },
  };
}
