import { targetToConfig } from '../../config/display.js';
import { durationToConfig } from '../../config/duration.js';
import { validateAddedTarget } from '../../config/load.js';
import type { Problem } from '../../config/problems.js';
import type { Defaults, Target } from '../../config/target.js';

export type FieldKey = 'name' | 'host' | 'port' | 'interval' | 'timeout';
export const FIELDS: readonly { key: FieldKey; label: string; hint: string }[] = [
  { key: 'name', label: 'name', hint: 'shown in the grid; unique' },
  { key: 'host', label: 'host', hint: 'name or IP address' },
  { key: 'port', label: 'port', hint: 'number, or a service: ssh, postgres, redis, …' },
  { key: 'interval', label: 'interval', hint: 'e.g. 10s (empty = default)' },
  { key: 'timeout', label: 'timeout', hint: 'e.g. 5s (empty = default)' },
];

export type FormValues = Record<FieldKey, string>;

export function emptyForm(): FormValues {
  return { name: '', host: '', port: '', interval: '', timeout: '' };
}

export function formFromTarget(t: Target, d: Defaults): FormValues {
  return {
    name: t.name,
    host: t.host,
    port: String(t.port),
    interval: t.intervalMs !== d.intervalMs ? durationToConfig(t.intervalMs) : '',
    timeout: t.timeoutMs !== d.timeoutMs ? durationToConfig(t.timeoutMs) : '',
  };
}

/** The form as a config-file target object; editing keeps the target's other settings. */
export function formToRaw(v: FormValues, editing?: { target: Target; defaults: Defaults }): Record<string, unknown> {
  const base: Record<string, unknown> = editing ? targetToConfig(editing.target, editing.defaults) : {};
  delete base.port;
  delete base.service;
  delete base.interval;
  delete base.timeout;
  delete base.name;
  delete base.host;
  const raw: Record<string, unknown> = { ...base };
  if (editing) raw.id = editing.target.id;
  if (v.name.trim()) raw.name = v.name.trim();
  raw.host = v.host.trim();
  const port = v.port.trim();
  if (/^\d+$/.test(port)) raw.port = Number(port);
  else if (port) raw.service = port.toLowerCase();
  if (v.interval.trim()) raw.interval = v.interval.trim();
  if (v.timeout.trim()) raw.timeout = v.timeout.trim();
  return raw;
}

/** Which form field a schema problem belongs to (the rest show under the form). */
export function fieldOf(p: Problem): FieldKey | undefined {
  const head = p.path.split(/[.[]/)[0] ?? '';
  if (head === 'port' || head === 'service' || p.message.includes('"port" or "service"')) return 'port';
  if (head === 'name' || head === 'id') return 'name';
  if (head === 'host' || head === 'interval' || head === 'timeout') return head;
  return undefined;
}

export interface FormCheck {
  target?: Target;
  raw: Record<string, unknown>;
  problems: Problem[];
}

/** Validates the form with the config's own zod schema, plus uniqueness against the targets running. */
export function checkForm(v: FormValues, defaults: Defaults, existing: readonly Target[], editing?: Target): FormCheck {
  const raw = formToRaw(v, editing ? { target: editing, defaults } : undefined);
  const { target, problems } = validateAddedTarget(raw, defaults, existing, editing?.id);
  return target ? { target, raw, problems: [] } : { raw, problems };
}
