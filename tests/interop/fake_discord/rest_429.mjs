// @discordjs/rest 2 against the fake's rate limits: a scripted 429 (user and global
// scope) is waited out and retried, and a small bucket is respected from the headers
// alone, without provoking a 429.
import { REST, RESTEvents } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { check, control, env, eq, main } from './control.mjs';

await main(async () => {
  const info = await control('GET', '/info');
  const rest = new REST({ api: env.FAKE_API, version: '10' }).setToken(env.FAKE_TOKEN);
  const limited = [];
  rest.on(RESTEvents.RateLimited, (data) => limited.push(data));

  // 1. A user-scope 429 on one route: the client waits Retry-After and retries.
  await control('POST', '/rest/rate-limits', { route: 'GET /users/@me', count: 1, retry_after: 1.2, scope: 'user' });
  let t0 = Date.now();
  const me = await rest.get(Routes.user('@me'));
  let elapsed = Date.now() - t0;
  eq(me.id, info.bot_user_id, 'GET /users/@me after the 429');
  check(elapsed >= 1200, `waited out the 429 (${elapsed} ms)`);
  eq(limited.length, 1, 'one rateLimited event');
  eq(limited[0].global, false, 'user scope');
  eq(limited[0].scope, 'user', 'X-RateLimit-Scope');
  let stats = await control('GET', '/rest/stats');
  eq(stats.rate_limited, 1, 'the fake answered one 429');

  // 2. A global 429: the client pauses every route.
  await control('POST', '/rest/rate-limits', { route: '*', count: 1, retry_after: 1, scope: 'global' });
  t0 = Date.now();
  await rest.get(Routes.guild(info.demo.guild));
  elapsed = Date.now() - t0;
  check(elapsed >= 900, `waited out the global 429 (${elapsed} ms)`);
  eq(limited.length, 2, 'second rateLimited event');
  eq(limited[1].global, true, 'global limit');

  // 3. A bucket of 2 per 2 s on message creation: four messages, no 429 needed.
  await fetch(`${env.FAKE_CONTROL}/rest/limits`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'POST /channels/{channel_id}/messages', limit: 2, window_ms: 2000 }),
  });
  t0 = Date.now();
  const sent = await Promise.all(
    [1, 2, 3, 4].map((n) => rest.post(Routes.channelMessages(info.demo.general), { body: { content: `message ${n}` } })),
  );
  elapsed = Date.now() - t0;
  eq(sent.length, 4, 'four messages sent');
  check(elapsed >= 1800, `the client spread them over the bucket window (${elapsed} ms)`);
  stats = await control('GET', '/rest/stats');
  eq(stats.rate_limited, 2, 'no 429 beyond the two scripted ones');
  const recorded = await control('GET', `/channels/${info.demo.general}/messages`);
  eq(recorded.filter((m) => m.content.startsWith('message ')).length, 4, 'all four recorded');
});
