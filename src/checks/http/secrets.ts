const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
const HIDDEN = '[hidden]';
/** Shorter values are not hidden: they would blank out ordinary words and protect nothing. */
const MIN_SECRET = 4;

/** `${env:NAME}` references still unresolved in a value are resolved at request time (the value stays out of the target). */
export function resolveEnvRefs(value: string, env: NodeJS.ProcessEnv): { value: string; used: string[]; missing: string[] } {
  const used: string[] = [];
  const missing: string[] = [];
  const out = value.replace(ENV_REF, (_whole, name: string) => {
    const v = env[name];
    if (v === undefined) {
      missing.push(name);
      return '';
    }
    used.push(v);
    return v;
  });
  return { value: out, used, missing };
}

/** Hides every secret (longest first, so one that contains another goes whole) in a text. */
export class Redactor {
  private readonly secrets: string[];

  constructor(values: Iterable<string>) {
    this.secrets = [...new Set([...values].filter((s) => s.length >= MIN_SECRET))].sort((a, b) => b.length - a.length);
  }

  hide(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(HIDDEN);
    return out;
  }
}

/** A URL for display: scheme://host:port/path, a query or fragment shown as ?… (it may carry a key). */
export function displayUrl(u: URL): string {
  const rest = u.search !== '' || u.hash !== '' ? '?…' : '';
  return `${u.protocol}//${u.host}${u.pathname}${rest}`;
}
