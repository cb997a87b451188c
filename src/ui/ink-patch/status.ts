// Whether the Ink that renders this process carries the incremental-rendering fix (patch.ts,
// 'log-update'). Ink's package exports only its index, so the module is reached by its file URL: the
// same URL Ink itself imports, hence the same module instance.

/** True when Ink's log-update loaded patched; call after registerInkPatch(). */
export async function incrementalRenderingFixed(): Promise<boolean> {
  try {
    const url = new URL('./log-update.js', import.meta.resolve('ink'));
    const mod = (await import(url.href)) as { portholeIncrementalFix?: unknown };
    return mod.portholeIncrementalFix === true;
  } catch {
    return false;
  }
}
