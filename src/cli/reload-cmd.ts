import { parseCommand } from './command-spec.js';
import { RELOAD } from './specs.js';

export async function runReload(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand(RELOAD, argv, { out, err });
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values as { config?: string; 'data-dir'?: string; agent?: string };
  const [{ endpointFor, locateAgent }, { agentJson, AgentHttpError }, { API }, { chooseDataDir }, { sanitize }] = await Promise.all([
    import('../agent-client/locate.js'),
    import('../agent-client/http.js'),
    import('../agent/api/wire.js'),
    import('../runtime/data-dir.js'),
    import('../text/sanitize.js'),
  ]);
  let ep;
  if (values.agent) ep = endpointFor(values.agent, env);
  else {
    const dir = chooseDataDir(values['data-dir'], values.config, (l) => err.write(`${l}\n`), env).dir;
    const found = locateAgent(dir);
    if ('error' in found) {
      err.write(`porthole reload: ${found.error}\n`);
      return 2;
    }
    if ('none' in found) {
      err.write(`porthole reload: no agent runs on ${dir} (a console re-reads its config when started again)\n`);
      return 2;
    }
    ep = found.endpoint;
  }
  type Report = { ok: boolean; added?: string[]; removed?: string[]; changed?: string[]; unchanged?: number; problems?: string };
  let report: Report;
  try {
    report = await agentJson<Report>(ep, 'POST', API.reload);
  } catch (e) {
    if (e instanceof AgentHttpError && e.status === 422 && e.body) report = e.body as Report;
    else {
      err.write(`porthole reload: ${sanitize(e instanceof Error ? e.message : String(e), 300)}\n`);
      return 2;
    }
  }
  if (!report.ok) {
    err.write(`porthole reload: refused; the running config stays in force\n${(report.problems ?? '').split('\n').map((l) => sanitize(l, 2000)).join('\n')}\n`);
    return 1;
  }
  const list = (xs: string[] | undefined) => (xs && xs.length ? xs.map((x) => sanitize(x, 80)).join(', ') : 'none');
  out.write(`reloaded: added ${list(report.added)}; removed ${list(report.removed)}; changed ${list(report.changed)}; ${report.unchanged ?? 0} unchanged\n`);
  return 0;
}
