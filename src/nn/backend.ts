/**
 * Start-up of the jax-js Wasm backend. On Node 20 there is no global `navigator`, so jax-js cannot
 * discover backends by itself: `initBackend()` initialises "wasm" explicitly and makes it the
 * default device. Every jax-backed entry point of `nn/` is synchronous and checks `backendReady()`
 * so a missing `await initBackend()` fails with a clear message instead of deep inside jax-js.
 */
import { defaultDevice, init } from "@jax-js/jax";

let ready: Promise<void> | undefined;
let initialised = false;

/** Initialise the jax-js Wasm backend once; later calls return the same promise. */
export function initBackend(): Promise<void> {
  ready ??= init("wasm").then((devices) => {
    if (!devices.includes("wasm")) throw new Error("jax-js: the wasm backend is not available");
    defaultDevice("wasm");
    initialised = true;
  });
  return ready;
}

/** Throw unless `initBackend()` has completed. */
export function assertBackend(): void {
  if (!initialised)
    throw new Error("nn: call `await initBackend()` before using jax-backed networks");
}
