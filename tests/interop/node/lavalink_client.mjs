// lavalink-client 2.11.0 against `vectobeat node`, voice through the fake Discord (test-peers.md §3.4, recipe B).
import { EventEmitter } from 'node:events';
import { LavalinkManager } from 'lavalink-client';
import { env, BOT_ID, connectDiscord, log, check, next, watchdog } from './common.mjs';

watchdog(150000);

let manager;
// lavalink-client's gateway seam, wired to the fake Discord's gateway (common.mjs connectDiscord).
const discord = await connectDiscord((packet) => {
  manager.sendRawData(packet).catch((e) => log('lavalink-client', 'sendRawData', e));
});
function sendToShard(guildId, payload) {
  discord.send(payload);
}

manager = new LavalinkManager({
  nodes: [{ id: 'local', host: '127.0.0.1', port: Number(env.NODE_PORT), authorization: env.NODE_PASSWORD, retryAmount: 1, retryDelay: 1000 }],
  sendToShard,
  client: { id: BOT_ID, username: 'TestBot' },
  autoSkip: true,
  playerOptions: { onDisconnect: { autoReconnect: false, destroyPlayer: false }, onEmptyQueue: { destroyAfterMs: undefined } },
});
manager.nodeManager.on('error', (node, e) => log('lavalink-client', 'node error', e?.message ?? e));
const connected = next(manager.nodeManager, 'connect', () => true, 20000);
await manager.init({ id: BOT_ID, username: 'TestBot' });
const [node] = await connected;
check(node.info?.sourceManagers?.includes('http'), `sourceManagers: ${JSON.stringify(node.info?.sourceManagers)}`);

const ends = [];
const starts = [];
manager.on('trackStart', (p, t) => starts.push(`${p.guildId}:${t?.info?.title}:${t?.info?.uri === env.TONE_URL ? 'tone' : 'long'}`));
// lavalink-client reports a TrackEndEvent as `trackEnd`, or as `queueEnd` when the queue is empty.
const endBus = new EventEmitter();
const onEnd = (p, payload) => {
  if (payload?.type !== 'TrackEndEvent') return;
  ends.push(`${p.guildId}:${payload.reason}`);
  endBus.emit('end', p.guildId, payload.reason);
};
manager.on('trackEnd', (p, t, payload) => onEnd(p, payload));
manager.on('queueEnd', (p, t, payload) => onEnd(p, payload));
manager.on('trackError', (p, t, payload) => log('lavalink-client', 'trackError', JSON.stringify(payload.exception)));

// 1. The tone, untouched, to its end (the harness checks the recording).
const tonePlayer = manager.createPlayer({ guildId: env.GUILD_TONE, voiceChannelId: env.CHANNEL_TONE, textChannelId: '1', selfDeaf: true });
await tonePlayer.connect();
const toneResult = await tonePlayer.search({ query: env.TONE_URL, source: 'http' }, { id: 'u1' });
check(toneResult.loadType === 'track' && toneResult.tracks.length === 1, `tone search: ${toneResult.loadType}`);
check(toneResult.tracks[0].requester?.id === 'u1', 'requester kept');
await tonePlayer.queue.add(toneResult.tracks[0]);
const toneEnded = next(endBus, 'end', (g) => g === env.GUILD_TONE, 30000);
await tonePlayer.play();
await toneEnded;
check(ends.join(',') === `${env.GUILD_TONE}:finished`, `tone ends: ${ends.join(',')}`);

// 2. A queue [tone, long]: `finished` advances the queue; seek, pause, volume, filters, skip.
const player = manager.createPlayer({ guildId: env.GUILD_CONTROL, voiceChannelId: env.CHANNEL_CONTROL, textChannelId: '1', selfDeaf: true });
await player.connect();
const longResult = await player.search({ query: env.LONG_URL, source: 'http' }, { id: 'u2' });
check(longResult.loadType === 'track', 'long track');
const tone2 = await player.search({ query: env.TONE_URL, source: 'http' }, { id: 'u2' });
await player.queue.add([tone2.tracks[0], longResult.tracks[0], tone2.tracks[0]]);
const longStarted = next(manager, 'trackStart', (p, t) => p.guildId === env.GUILD_CONTROL && t?.info?.uri === env.LONG_URL, 30000);
await player.play();
await longStarted;  // the tone finished and lavalink-client moved on by itself
check(ends.filter((e) => e === `${env.GUILD_CONTROL}:finished`).length === 1, `ends before long: ${ends.join(',')}`);
await next(manager, 'playerUpdate', (old, p) => p.guildId === env.GUILD_CONTROL && p.connected, 20000);
await player.seek(20000);
await next(manager, 'playerUpdate', (old, p) => p.guildId === env.GUILD_CONTROL && p.lastPosition >= 20000, 10000);
await player.pause();
let info = await node.fetchPlayer(env.GUILD_CONTROL);
check(info.paused === true, 'paused on the node');
await player.resume();
await player.setVolume(40);
await player.filterManager.setSpeed(1.25);
info = await node.fetchPlayer(env.GUILD_CONTROL);
check(info.paused === false, 'resumed on the node');
check(info.filters?.timescale?.speed === 1.25, `filters ${JSON.stringify(info.filters)}`);
check(info.volume > 0 && info.volume <= 100, `volume ${info.volume}`);
const toneAgain = next(manager, 'trackStart', (p, t) => p.guildId === env.GUILD_CONTROL && t?.info?.uri === env.TONE_URL, 20000);
await player.skip();  // lavalink-client skips by stopping (encoded: null): the end reason is `stopped`
await toneAgain;
check(ends.at(-1) === `${env.GUILD_CONTROL}:stopped`, `skip ends the long track with stopped: ${ends.join(',')}`);
// Playing another track over the current one ends it with `replaced`.
const longAgain = next(manager, 'trackStart', (p, t) => p.guildId === env.GUILD_CONTROL && t?.info?.uri === env.LONG_URL, 20000);
await player.play({ clientTrack: longResult.tracks[0] });
await longAgain;
check(ends.at(-1) === `${env.GUILD_CONTROL}:replaced`, `play over a track ends it with replaced: ${ends.join(',')}`);
// Resume (lavalink-client's way: enable resuming, remember the session id, reconnect with it).
await node.updateSession(true, 60000);
const sessionBefore = node.sessionId;
node.options.sessionId = sessionBefore;
const resumed = next(manager.nodeManager, 'resumed', () => true, 30000);
node.socket.terminate();
const [, readyPayload, resumedPlayers] = await resumed;
check(readyPayload.resumed === true && node.sessionId === sessionBefore, `resumed ready: ${JSON.stringify(readyPayload)}`);
const keptPlayer = resumedPlayers.find((p) => p.guildId === env.GUILD_CONTROL);
check(keptPlayer?.track?.info?.uri === env.LONG_URL, `players after resume: ${JSON.stringify(resumedPlayers.map((p) => p.guildId))}`);
await next(manager, 'playerUpdate', (old, p) => p.guildId === env.GUILD_CONTROL, 10000);  // updates flow again
const stopped = next(endBus, 'end', (g, reason) => g === env.GUILD_CONTROL && reason === 'stopped', 10000);
await player.stopPlaying(true, false);
await stopped;
const controlEnds = ends.filter((e) => e.startsWith(`${env.GUILD_CONTROL}:`)).map((e) => e.split(':')[1]);
check(controlEnds.join(',') === 'finished,stopped,replaced,stopped', `control ends in order: ${controlEnds.join(',')}`);

await player.destroy();
await tonePlayer.destroy();
const left = await node.fetchAllPlayers();
check(Array.isArray(left) && left.length === 0, `players left: ${JSON.stringify(left)}`);
console.log('RESULT ' + JSON.stringify({ client: 'lavalink-client', starts, ends, resumed: true }));
process.exit(0);
