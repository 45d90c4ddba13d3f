// Small helpers shared by the interop scripts: the fake's control API and assertions.
export const env = process.env;

export async function control(method, route, body) {
  const res = await fetch(`${env.FAKE_CONTROL}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

export function eq(actual, expected, message) {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// Resolves with the first event `name` from `emitter` for which `pred` holds, or rejects after `ms`.
export function once(emitter, name, ms, pred = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(name, handler);
      reject(new Error(`timed out after ${ms} ms waiting for '${name}'`));
    }, ms);
    function handler(...args) {
      if (!pred(...args)) return;
      clearTimeout(timer);
      emitter.off(name, handler);
      resolve(args);
    }
    emitter.on(name, handler);
  });
}

export async function main(fn) {
  try {
    await fn();
    console.log('ok');
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}
