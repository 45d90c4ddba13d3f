// Shared helpers for the node interop scripts (run by node_interop_harness with Node 22).
// The harness passes: NODE_PORT, NODE_PASSWORD, VOICE_ENDPOINT, TONE_URL, LONG_URL,
// GUILD_TONE, GUILD_CONTROL. A script prints "RESULT <json>" and exits 0 when every check holds.

export const env = process.env;
export const BOT_ID = '170939974227541168';

export function log(tag, ...args) {
  console.log(`[${tag}]`, ...args);
}

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

export function check(condition, message) {
  if (!condition) fail(message);
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

// Resolves with the arguments of the first `event` for which `pred` holds.
export function next(emitter, event, pred = () => true, ms = 20000) {
  return withTimeout(
    new Promise((resolve) => {
      const handler = (...args) => {
        if (!pred(...args)) return;
        emitter.off(event, handler);
        resolve(args);
      };
      emitter.on(event, handler);
    }),
    ms,
    event,
  );
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A whole script fails (never hangs) after `ms`.
export function watchdog(ms) {
  setTimeout(() => fail(`script did not finish within ${ms} ms`), ms).unref();
}

process.on('unhandledRejection', (e) => fail(`unhandled rejection: ${e?.stack ?? e}`));
