import { sanitize } from '../../text/sanitize.js';

/** What porthole reads from an RDAP domain object (RFC 9083 §5.3); every string sanitized and capped. */
export interface DomainRecord {
  /** The name as the registry spells it. */
  name: string;
  /** ISO date of the `expiration` event, when the registry publishes one. */
  expires?: string;
  expiresAt?: number;
  registered?: string;
  registrar?: string;
  nameservers: string[];
  status: string[];
}

export class RdapFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdapFormatError';
  }
}

type Obj = Record<string, unknown>;
const MAX_LIST = 13;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function eventDate(doc: Obj, action: string): string | undefined {
  const e = list(doc.events).find((x): x is Obj => isObj(x) && x.eventAction === action && typeof x.eventDate === 'string');
  return e ? (e.eventDate as string) : undefined;
}

/** The "fn" (full name) of a jCard (RFC 7095): ["vcard", [["fn", {}, "text", "Name"], ...]]. */
function vcardName(entity: Obj): string | undefined {
  const card = list(entity.vcardArray);
  for (const prop of list(card[1])) {
    const p = list(prop);
    if (p[0] === 'fn' && typeof p[3] === 'string' && p[3].trim() !== '') return p[3];
  }
  return undefined;
}

function registrarOf(doc: Obj): string | undefined {
  const entity = list(doc.entities).find((e): e is Obj => isObj(e) && list(e.roles).includes('registrar'));
  if (!entity) return undefined;
  const ianaId = list(entity.publicIds).find((p): p is Obj => isObj(p) && typeof p.identifier === 'string');
  const name = vcardName(entity) ?? (typeof entity.handle === 'string' ? entity.handle : undefined);
  if (!name) return undefined;
  return ianaId ? `${name} (IANA ${ianaId.identifier as string})` : name;
}

/** Reads a parsed RDAP answer; throws RdapFormatError when it is not a domain object. */
export function readDomainRecord(doc: unknown): DomainRecord {
  if (!isObj(doc)) throw new RdapFormatError('expected an RDAP domain object (a JSON object)');
  if (doc.objectClassName !== 'domain') {
    throw new RdapFormatError(`expected an RDAP domain object, got objectClassName ${typeof doc.objectClassName === 'string' ? JSON.stringify(sanitize(doc.objectClassName, 40)) : 'missing'}`);
  }
  const name = typeof doc.ldhName === 'string' ? doc.ldhName : typeof doc.unicodeName === 'string' ? doc.unicodeName : '';
  const expires = eventDate(doc, 'expiration');
  const expiresAt = expires !== undefined ? Date.parse(expires) : Number.NaN;
  const registered = eventDate(doc, 'registration');
  const registrar = registrarOf(doc);
  const nameservers = list(doc.nameservers)
    .map((n) => (isObj(n) && typeof n.ldhName === 'string' ? sanitize(n.ldhName.toLowerCase(), 100) : undefined))
    .filter((n): n is string => n !== undefined && n !== '')
    .slice(0, MAX_LIST);
  const status = list(doc.status)
    .filter((s): s is string => typeof s === 'string')
    .map((s) => sanitize(s, 60))
    .slice(0, MAX_LIST);
  return {
    name: sanitize(name.toLowerCase(), 100),
    ...(expires !== undefined ? { expires: sanitize(expires, 40) } : {}),
    ...(Number.isFinite(expiresAt) ? { expiresAt } : {}),
    ...(registered !== undefined ? { registered: sanitize(registered, 40) } : {}),
    ...(registrar !== undefined ? { registrar: sanitize(registrar, 100) } : {}),
    nameservers,
    status,
  };
}
