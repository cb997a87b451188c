export async function runUi(_argv: string[]): Promise<number> {
  process.stderr.write('porthole: the live console is not built yet; use "porthole check"\n');
  return 2;
}
