// Shoukaku 4.3.0 against `vectobeat node`, voice through the fake Discord (test-peers.md §3.2, recipe A).
import { Shoukaku, Connector } from 'shoukaku';
import { env, BOT_ID, connectDiscord, log, check, next, watchdog } from './common.mjs';

watchdog(150000);

let discord;
// Shoukaku's gateway seam, wired to the fake Discord's gateway (common.mjs connectDiscord).
class GatewayConnector extends Connector {
  getId() {
    return BOT_ID;
  }
  listen(nodes) {
    setTimeout(() => this.ready(nodes), 0);  // the gateway is READY already
  }
  sendPacket(shardId, payload) {
    discord.send(payload);
  }
}
const connector = new GatewayConnector({});
discord = await connectDiscord((packet) => connector.raw(packet));

const shoukaku = new Shoukaku(
  connector,
  [{ name: 'local', url: `127.0.0.1:${env.NODE_PORT}`, auth: env.NODE_PASSWORD }],
  { resume: true, resumeTimeout: 30, reconnectTries: 3, reconnectInterval: 1, voiceConnectionTimeout: 15 },
);
shoukaku.on('error', (name, e) => log('shoukaku', 'error', name, e?.message ?? e));
const [, firstResumed] = await next(shoukaku, 'ready');
check(firstResumed === false, 'the first ready must not be a resume');
const node = shoukaku.nodes.get('local');
if (env.VB_DEBUG) node.on('raw', (j) => log('raw', JSON.stringify(j).slice(0, 300)));

// 1. The tone, untouched, to its end: the harness checks what the voice server received.
const tone = await node.rest.resolve(env.TONE_URL);
check(tone?.loadType === 'track', `tone loadType is ${tone?.loadType}`);
check(tone.data.info.sourceName === 'http' && tone.data.info.length > 2900, 'tone track info');
const tonePlayer = await shoukaku.joinVoiceChannel({ guildId: env.GUILD_TONE, channelId: env.CHANNEL_TONE, shardId: 0 });
const toneEvents = [];
for (const e of ['start', 'end', 'exception', 'stuck', 'closed']) tonePlayer.on(e, (d) => toneEvents.push(`${e}:${d.reason ?? ''}`));
const toneEnd = next(tonePlayer, 'end', () => true, 30000);
await tonePlayer.playTrack({ track: { encoded: tone.data.encoded } });
const [toneEndEvent] = await toneEnd;
check(toneEndEvent.reason === 'finished', `tone ended with ${toneEndEvent.reason}`);
check(toneEvents.join(',') === 'start:,end:finished', `tone events: ${toneEvents.join(',')}`);

// 2. A long track: seek, pause, resume, volume, filters, stop.
const long = await node.rest.resolve(env.LONG_URL);
check(long?.loadType === 'track', 'long track');
const player = await shoukaku.joinVoiceChannel({ guildId: env.GUILD_CONTROL, channelId: env.CHANNEL_CONTROL, shardId: 0 });
const events = [];
for (const e of ['start', 'end', 'exception', 'stuck', 'closed']) player.on(e, (d) => events.push(`${e}:${d.reason ?? ''}`));
const started = next(player, 'start');
await player.playTrack({ track: { encoded: long.data.encoded } });
await started;
await next(player, 'update', (u) => u.state.connected === true, 20000);
await player.seekTo(20000);
const [afterSeek] = await next(player, 'update', (u) => u.state.position >= 20000);
check(afterSeek.state.position < 25000, `position after the seek: ${afterSeek.state.position}`);
await player.setPaused(true);
let info = await node.rest.getPlayer(env.GUILD_CONTROL);
check(info.paused === true, 'paused');
const pausedAt = info.state.position;
await new Promise((r) => setTimeout(r, 500));
info = await node.rest.getPlayer(env.GUILD_CONTROL);
check(Math.abs(info.state.position - pausedAt) <= 60, `position moved while paused: ${pausedAt} -> ${info.state.position}`);
await player.setPaused(false);
await player.setGlobalVolume(50);
await player.setFilters({ timescale: { speed: 1.2, pitch: 1.0, rate: 1.0 }, equalizer: [{ band: 0, gain: 0.2 }] });
info = await node.rest.getPlayer(env.GUILD_CONTROL);
check(info.volume === 50, `volume ${info.volume}`);
check(info.filters?.timescale?.speed === 1.2 && info.filters.equalizer?.[0]?.gain === 0.2, `filters ${JSON.stringify(info.filters)}`);
const stopped = next(player, 'end');
await player.stopTrack();
const [stopEvent] = await stopped;
check(stopEvent.reason === 'stopped', `stop reason ${stopEvent.reason}`);
check(events.join(',') === 'start:,end:stopped', `control events: ${events.join(',')}`);

// 3. Resume: drop the socket; Shoukaku reconnects with Session-Id and the player is still there.
const restarted = next(player, 'start');
await player.playTrack({ track: { encoded: long.data.encoded } });
await restarted;
const sessionBefore = node.sessionId;
const resumedReady = next(shoukaku, 'ready', (name, resumed) => resumed === true, 30000);
node.ws.terminate();
await resumedReady;
check(node.sessionId === sessionBefore, 'the resumed session keeps its id');
const players = await node.rest.getPlayers();
const kept = players.find((p) => p.guildId === env.GUILD_CONTROL);
check(kept && kept.track?.encoded === long.data.encoded, `players after resume: ${JSON.stringify(players.map((p) => p.guildId))}`);
await next(player, 'update', () => true, 10000);  // updates flow again

await shoukaku.leaveVoiceChannel(env.GUILD_CONTROL);
await shoukaku.leaveVoiceChannel(env.GUILD_TONE);
const after = await node.rest.getPlayers();
check(after.length === 0, `players after leaving: ${after.length}`);
console.log('RESULT ' + JSON.stringify({ client: 'shoukaku', toneEvents, events, resumed: true }));
process.exit(0);
