import { SERVICE_PORTS, serviceNames } from './service-ports.js';
import { didYouMean } from './suggest.js';

export interface Endpoint {
  host: string;
  port: number;
  service?: string;
}

/** Parses `HOST:PORT`, `[V6]:PORT` or `HOST:SERVICE` (e.g. `db1:postgres`). */
export function parseEndpoint(text: string): Endpoint | { error: string } {
  const m = /^\[([^\]]+)\]:([^:]+)$/.exec(text) ?? /^([^:[\]]+):([^:]+)$/.exec(text);
  if (!m) {
    return { error: `"${text}" is not HOST:PORT (write IPv6 addresses as [::1]:PORT)` };
  }
  const host = m[1]!;
  const portText = m[2]!;
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535) return { error: `"${text}": port must be from 1 to 65535` };
    return { host, port };
  }
  const port = SERVICE_PORTS[portText];
  if (port === undefined) {
    const guess = didYouMean(portText, serviceNames());
    return { error: `"${text}": unknown service "${portText}"${guess ? ` — did you mean "${guess}"?` : ''}` };
  }
  return { host, port, service: portText };
}
