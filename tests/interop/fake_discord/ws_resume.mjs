// @discordjs/ws 2 against the fake gateway with zlib-stream and two shards: guilds arrive on
// the shard that owns them, and after a dropped TCP connection and after op 7 Reconnect the
// shard resumes without losing (or repeating) a dispatch.
import { REST } from '@discordjs/rest';
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { check, control, env, eq, main, once } from './control.mjs';

await main(async () => {
  const info = await control('GET', '/info');
  const guildId = info.demo.guild;
  const owner = Number((BigInt(guildId) >> 22n) % 2n);
  const rest = new REST({ api: env.FAKE_API, version: '10' }).setToken(env.FAKE_TOKEN);
  const manager = new WebSocketManager({
    token: env.FAKE_TOKEN,
    intents: 1 | (1 << 7),
    rest,
    compression: CompressionMethod.ZlibNative,
  });
  const seqs = { 0: [], 1: [] };
  const events = { 0: [], 1: [] };
  manager.on(WebSocketShardEvents.Dispatch, (payload, shardId) => {
    seqs[shardId].push(payload.s);
    events[shardId].push(payload);
  });
  let readies = 0;
  const bothReady = new Promise((resolve) =>
    manager.on(WebSocketShardEvents.Ready, () => {
      if (++readies === 2) resolve();
    }),
  );
  await manager.connect();
  await bothReady;
  eq(await manager.getShardCount(), 2, 'shard count from GET /gateway/bot');

  // GUILD_CREATE follows READY, so wait for it on the owning shard.
  const hasGuild = (s) => events[s].some((e) => e.t === 'GUILD_CREATE' && e.d.id === guildId);
  for (let i = 0; i < 100 && !hasGuild(owner); i++) await new Promise((r) => setTimeout(r, 50));
  check(hasGuild(owner), `GUILD_CREATE on shard ${owner}`);
  check(!hasGuild(1 - owner), 'no GUILD_CREATE on the other shard');

  const sessions = await control('GET', '/gateway/sessions');
  const before = sessions.find((s) => s.shard === owner);
  eq(before.compression, 'zlib-stream', 'transport compression');

  async function dropAndCreate(fault, channelName) {
    const resumed = once(manager, WebSocketShardEvents.Resumed, 30_000, (shardId) => shardId === owner);
    const r = await control('POST', `/gateway/shards/${owner}/faults`, fault);
    eq(r.affected, 1, 'one connection faulted');
    // Created while the shard is (about to be) disconnected: must arrive exactly once.
    await control('POST', `/guilds/${guildId}/channels`, { name: channelName, type: 'text' });
    await resumed;
    const created = (e) => e.t === 'CHANNEL_CREATE' && e.d.name === channelName;
    for (let i = 0; i < 100 && !events[owner].some(created); i++) await new Promise((r) => setTimeout(r, 50));
    eq(events[owner].filter(created).length, 1, `CHANNEL_CREATE ${channelName} delivered once`);
  }
  await dropAndCreate({ type: 'abort' }, 'during-drop');
  await dropAndCreate({ type: 'reconnect' }, 'during-reconnect');

  // Sequence numbers on the owning shard: 1..n without gaps or repeats.
  const s = seqs[owner];
  for (let i = 0; i < s.length; i++) eq(s[i], i + 1, `dispatch #${i + 1} sequence`);
  const after = (await control('GET', '/gateway/sessions')).find((x) => x.shard === owner);
  eq(after.session_id, before.session_id, 'the same session was resumed');
  eq(after.resumes, 2, 'two resumes');
  await manager.destroy();
});
