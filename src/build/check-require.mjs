// Stands in for node:module in the one-shot check's CommonJS bundle (src/build/bundle.mjs). The
// probes there take `createRequire(import.meta.url)` to load builtins synchronously from an ES module;
// in that bundle `require` is already one, handed in by porthole.cjs from the same directory, while
// loading node:module and making a require costs ≈ 1 ms of a 55 ms start. Only createRequire is
// here: any other import from node:module fails the build.
export const createRequire = () => require;
