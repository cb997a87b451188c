import { KINDS } from '../../checks/registry.js';
import { DEFAULT_KIND, type KindFormField, type KindName } from '../../checks/kind.js';
import { targetToConfig } from '../../config/display.js';
import { durationToConfig } from '../../config/duration.js';
import { validateAddedTarget } from '../../config/load.js';
import type { Problem } from '../../config/problems.js';
import type { Defaults, Target } from '../../config/target.js';

/** A form field: one of the common ones, or a kind's option as "<kind>.<key>" ("ping.count"). */
export type FieldKey = 'name' | 'kind' | 'host' | 'port' | 'interval' | 'timeout' | 'retries' | 'tags' | `${KindName}.${string}`;
export interface FormField {
  key: FieldKey;
  label: string;
  hint: string;
}

const COMMON: Readonly<Record<'name' | 'kind' | 'host' | 'port' | 'interval' | 'timeout' | 'retries' | 'tags', FormField>> = {
  name: { key: 'name', label: 'name', hint: 'shown in the grid; unique' },
  kind: { key: 'kind', label: 'kind', hint: `${Object.keys(KINDS).join(', ')} (empty = tcp)` },
  host: { key: 'host', label: 'host', hint: 'name or IP address' },
  port: { key: 'port', label: 'port', hint: 'number, or a service: ssh, postgres, redis, …' },
  interval: { key: 'interval', label: 'interval', hint: 'e.g. 10s (empty = default)' },
  timeout: { key: 'timeout', label: 'timeout', hint: 'e.g. 5s (empty = default)' },
  retries: { key: 'retries', label: 'retries', hint: 'failed checks confirmed again before DOWN, 0–10 (empty = default)' },
  tags: { key: 'tags', label: 'tags', hint: 'comma-separated, e.g. db, prod' },
};

/** The fields shown for a tcp target (the form before a kind is chosen). */
export const FIELDS: readonly FormField[] = fieldsFor({});

export type FormValues = Record<string, string>;

export function emptyForm(): FormValues {
  return { name: '', kind: '', host: '', port: '', interval: '', timeout: '', retries: '', tags: '' };
}

/** The kind the form's "kind" field names; tcp while it is empty or not (yet) a kind. */
function chosenKind(v: FormValues) {
  const name = (v.kind ?? '').trim().toLowerCase();
  return Object.hasOwn(KINDS, name) ? KINDS[name as KindName] : KINDS.tcp;
}

const kindField = (kind: KindName, f: KindFormField): FormField => ({ key: `${kind}.${f.key}`, label: f.label, hint: f.hint });

/** The fields for what the form holds: the common ones (port only where the kind has one), then the kind's options. */
export function fieldsFor(v: FormValues): FormField[] {
  const kind = chosenKind(v);
  // The kind after the common fields: the form reads as before for a tcp target (Tab from name to host).
  return [
    COMMON.name,
    COMMON.host,
    ...(kind.usesPort ? [COMMON.port] : []),
    COMMON.interval,
    COMMON.timeout,
    COMMON.kind,
    ...(kind.formFields ?? []).map((f) => kindField(kind.name, f)),
    // Last, so the fields before them keep their places (Tab from name to host, as before).
    COMMON.retries,
    COMMON.tags,
  ];
}

function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return value === undefined || value === null ? '' : String(value);
}

export function formFromTarget(t: Target, d: Defaults): FormValues {
  const kind = KINDS[t.kind] ?? KINDS.tcp;
  const block = (kind.toConfig(t)[kind.name] ?? {}) as Record<string, unknown>;
  const out: FormValues = {
    name: t.name,
    kind: kind.name === DEFAULT_KIND ? '' : kind.name,
    host: t.host,
    port: kind.usesPort ? String(t.port) : '',
    interval: t.intervalMs !== d.intervalMs ? durationToConfig(t.intervalMs) : '',
    timeout: t.timeoutMs !== d.timeoutMs ? durationToConfig(t.timeoutMs) : '',
    retries: t.retries !== d.retries ? String(t.retries) : '',
    tags: t.tags.join(', '),
  };
  for (const f of kind.formFields ?? []) out[`${kind.name}.${f.key}`] = textOf(block[f.key]);
  return out;
}

function valueOf(f: KindFormField, text: string): unknown {
  if (f.type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  if (f.type === 'list') return text.split(',').map((x) => x.trim()).filter(Boolean);
  return f.key === 'type' ? text.toUpperCase() : text;
}

/** The form as a config-file target object; editing keeps the target's other settings. */
export function formToRaw(v: FormValues, editing?: { target: Target; defaults: Defaults }): Record<string, unknown> {
  const base: Record<string, unknown> = editing ? targetToConfig(editing.target, editing.defaults) : {};
  const kind = chosenKind(v);
  const typedKind = (v.kind ?? '').trim().toLowerCase();
  if (editing && (KINDS[editing.target.kind] ?? KINDS.tcp) !== kind) {
    // Another kind: the old kind's own settings (TCP layers, a block) do not carry over.
    const old = KINDS[editing.target.kind] ?? KINDS.tcp;
    for (const key of Object.keys(old.toConfig(editing.target))) delete base[key];
  }
  for (const key of ['kind', 'port', 'service', 'interval', 'timeout', 'retries', 'tags', 'name', 'host']) delete base[key];
  const raw: Record<string, unknown> = { ...base };
  if (editing) raw.id = editing.target.id;
  if (v.name?.trim()) raw.name = v.name.trim();
  if (typedKind) raw.kind = typedKind;
  // Empty: the schema says a host is needed (or, for an API check, takes the URL's).
  if ((v.host ?? '').trim()) raw.host = (v.host ?? '').trim();
  const port = (v.port ?? '').trim();
  if (kind.usesPort) {
    if (/^\d+$/.test(port)) raw.port = Number(port);
    else if (port) raw.service = port.toLowerCase();
  }
  if (v.interval?.trim()) raw.interval = v.interval.trim();
  if (v.timeout?.trim()) raw.timeout = v.timeout.trim();
  const retries = (v.retries ?? '').trim();
  // Not a whole number: passed as typed, so the schema's own message shows under the field.
  if (retries) raw.retries = /^\d+$/.test(retries) ? Number(retries) : retries;
  const tags = (v.tags ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (tags.length) raw.tags = tags;
  const fields = kind.formFields ?? [];
  if (fields.length) {
    const block: Record<string, unknown> = { ...((base[kind.name] as Record<string, unknown> | undefined) ?? {}) };
    for (const f of fields) {
      const text = (v[`${kind.name}.${f.key}`] ?? '').trim();
      if (text) block[f.key] = valueOf(f, text);
      else delete block[f.key];
    }
    // Always there, even empty: a required option left out is then reported under its own field.
    raw[kind.name] = block;
  }
  return raw;
}

/** Which form field a schema problem belongs to (the rest show under the form). */
export function fieldOf(p: Problem): FieldKey | undefined {
  const parts = p.path.split(/[.[]/);
  const head = parts[0] ?? '';
  if (head === 'port' || head === 'service' || p.message.includes('"port" or "service"')) return 'port';
  if (head === 'name' || head === 'id') return 'name';
  if (head === 'host' || head === 'interval' || head === 'timeout' || head === 'kind' || head === 'retries' || head === 'tags') return head;
  if (Object.hasOwn(KINDS, head)) {
    const kind = KINDS[head as KindName];
    const f = (kind.formFields ?? []).find((x) => x.key === parts[1]);
    if (f) return `${kind.name}.${f.key}`;
    // The block itself (missing, wrong shape): its first field.
    const first = kind.formFields?.[0];
    if (parts.length === 1 && first) return `${kind.name}.${first.key}`;
  }
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
