import type { Outcome } from './types.js';

const BY_ERRNO: Readonly<Record<string, Outcome>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NODATA: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  ENODATA: 'dns',
  ESERVFAIL: 'dns',
  ENONAME: 'dns',
  EADDRINFO: 'dns',
};

/** Maps an errno name to the cause an operator acts on; anything unfamiliar is "error". */
export function classifyErrno(code: string | undefined): Outcome {
  return (code && BY_ERRNO[code]) || 'error';
}

/** One short phrase per outcome, as check_tcp words it where it has a word for it. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome) {
    case 'open':
      return 'open';
    case 'refused':
      return 'Connection refused';
    case 'timeout':
      return 'Connection timed out';
    case 'unreachable':
      return 'Host unreachable';
    case 'dns':
      return 'Name does not resolve';
    case 'error':
      return 'Connection error';
    case 'mismatch':
      return 'Unexpected answer';
    case 'tls':
      return 'TLS failure';
  }
}
