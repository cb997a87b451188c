import { SERVICE_PORTS } from '../config/service-ports.js';

/** The well-known ports porthole has a name for. */
export function commonPorts(): number[] {
  return [...new Set(Object.values(SERVICE_PORTS))].sort((a, b) => a - b);
}

/** "common", "1-1024", "22,80,443" or a mix such as "22,8000-8010"; sorted, without duplicates. */
export function parsePorts(spec: string): number[] | { error: string } {
  if (spec === 'common') return commonPorts();
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part.trim());
    if (!m) return { error: `"${part}" is not a port or a range (use common, 1-1024 or 22,80,443)` };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > 65535 || from > to) return { error: `"${part}" is outside 1-65535 or backwards` };
    for (let p = from; p <= to; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}
