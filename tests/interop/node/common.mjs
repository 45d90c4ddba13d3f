// Shared helpers for the node interop scripts (run by node_interop_harness with Node 22).
// The harness passes: NODE_PORT, NODE_PASSWORD, FAKE_API, FAKE_TOKEN, BOT_ID, TONE_URL,
// LONG_URL, GUILD_TONE, CHANNEL_TONE, GUILD_CONTROL, CHANNEL_CONTROL. A script prints
// "RESULT <json>" and exits 0 when every check holds.
import { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';

export const env = process.env;
export const BOT_ID = env.BOT_ID;

// The bot's gateway session on the fake Discord (@discordjs/ws, one shard): `send` puts op 4
// on it, and the bot's VOICE_STATE_UPDATE and every VOICE_SERVER_UPDATE come back to `onVoice`
// as the `{t, d}` packets Lavalink clients take, so the node gets a real voice grant.
export async function connectDiscord(onVoice) {
  const rest = new REST({ api: env.FAKE_API, version: '10' }).setToken(env.FAKE_TOKEN);
  const manager = new WebSocketManager({ token: env.FAKE_TOKEN, intents: 1 | (1 << 7), rest });
  manager.on(WebSocketShardEvents.Dispatch, (payload) => {
    const forBot = payload.t === 'VOICE_STATE_UPDATE' && payload.d.user_id === BOT_ID;
    if (forBot || payload.t === 'VOICE_SERVER_UPDATE') onVoice({ t: payload.t, d: payload.d });
  });
  const ready = new Promise((resolve) => manager.once(WebSocketShardEvents.Ready, resolve));
  await manager.connect();
  await withTimeout(ready, 20000, 'the gateway READY');
  return { send: (payload) => manager.send(0, payload) };
}

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
