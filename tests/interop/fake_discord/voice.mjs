// discord.js + @discordjs/voice 0.19 (Node 22) against the fake: the bot joins a voice
// channel through the gateway (op 4 -> VOICE_STATE_UPDATE + VOICE_SERVER_UPDATE), the voice
// library completes the v8 handshake over wss (trusting the fake's CA through
// NODE_EXTRA_CA_CERTS), discovers its address over UDP and sends a 440 Hz tone encoded with
// opusscript; the fake's recorder must decode exactly that tone.
import { Readable } from 'node:stream';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import {
  AudioPlayerStatus,
  StreamType,
  VoiceConnectionStatus,
  createAudioPlayer,
  createAudioResource,
  entersState,
  joinVoiceChannel,
} from '@discordjs/voice';
import OpusScript from 'opusscript';
import { analyseTone, parseWav } from './wav.mjs';
import { check, control, env, eq, main, once } from './control.mjs';

const toneHz = 440;
const frames = 100;  // 2 s of 20 ms frames

function encodeTone() {
  const encoder = new OpusScript(48000, 2, OpusScript.Application.AUDIO);
  const packets = [];
  let n = 0;
  for (let f = 0; f < frames; f++) {
    const pcm = Buffer.alloc(960 * 2 * 2);
    for (let i = 0; i < 960; i++, n++) {
      const v = Math.round(12000 * Math.sin((2 * Math.PI * toneHz * n) / 48000));
      pcm.writeInt16LE(v, 4 * i);
      pcm.writeInt16LE(v, 4 * i + 2);
    }
    packets.push(Buffer.from(encoder.encode(pcm, 960)));
  }
  encoder.delete();
  return packets;
}

await main(async () => {
  const info = await control('GET', '/info');
  const demo = info.demo;
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates], rest: { api: env.FAKE_API } });
  const ready = once(client, Events.ClientReady, 20_000);
  await client.login(env.FAKE_TOKEN);
  await ready;
  const guild = client.guilds.cache.get(demo.guild);

  const connection = joinVoiceChannel({
    channelId: demo.music,
    guildId: guild.id,
    adapterCreator: guild.voiceAdapterCreator,
    selfDeaf: true,
  });
  await entersState(connection, VoiceConnectionStatus.Ready, 20_000);
  const g = await control('GET', `/guilds/${demo.guild}`);
  check(g.voice_states.some((v) => v.user_id === info.bot_user_id && v.channel_id === demo.music), 'bot voice state in Music');

  const player = createAudioPlayer();
  connection.subscribe(player);
  player.play(createAudioResource(Readable.from(encodeTone()), { inputType: StreamType.Opus }));
  await entersState(player, AudioPlayerStatus.Playing, 5_000);
  await entersState(player, AudioPlayerStatus.Idle, 15_000);

  let conn;
  for (let i = 0; i < 100; i++) {
    conn = (await control('GET', '/voice/connections')).find((c) => c.guild_id === demo.guild && !c.ended);
    if (conn && conn.stats.packets >= frames) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  check(conn, 'the fake has a voice connection for the guild');
  console.log(`voice: mode ${conn.mode}, stats ${JSON.stringify(conn.stats)}`);
  check(conn.mode === 'aead_aes256_gcm_rtpsize' || conn.mode === 'aead_xchacha20_poly1305_rtpsize', 'an AEAD rtpsize mode');
  check(conn.stats.packets >= frames, `all ${frames} tone frames arrived (${conn.stats.packets})`);
  eq(conn.stats.decrypt_failures, 0, 'decrypt failures');
  eq(conn.stats.invalid_opus, 0, 'undecodable Opus');
  // op 5 goes over the WebSocket and audio over UDP, two paths the fake reads independently,
  // so the first frames may overtake Speaking by a few ms on a loaded machine; a client that
  // never sent Speaking would count all 100.
  check(conn.stats.before_speaking <= 3, `audio after op 5 Speaking (${conn.stats.before_speaking} frames overtook it)`);
  eq(conn.stats.lost, 0, 'lost packets on loopback');

  const res = await fetch(`${env.FAKE_CONTROL}/voice/connections/${conn.id}/recording.wav`);
  eq(res.status, 200, 'recording download');
  const wav = parseWav(Buffer.from(await res.arrayBuffer()));
  eq(wav.rate, 48000, 'sample rate');
  eq(wav.channels, 2, 'channels');
  const tone = analyseTone(wav);
  console.log(`voice: recorded tone ${tone.frequency.toFixed(2)} Hz for ${tone.seconds.toFixed(3)} s`);
  check(Math.abs(tone.frequency - toneHz) <= toneHz * 0.01, `frequency ${tone.frequency} within 1 % of ${toneHz}`);
  check(Math.abs(tone.seconds - frames * 0.02) <= 0.06, `duration ${tone.seconds} within 60 ms of ${frames * 0.02}`);

  connection.destroy();
  await client.destroy();
});
