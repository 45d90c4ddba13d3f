// discord.js 14 as a bot against the fake: login (READY + GUILD_CREATE), command
// registration over REST, INTERACTION_CREATE for a scripted user, replies (immediate and
// deferred + editReply + followUp), and the replies as the control API records them.
import { Client, Events, GatewayIntentBits, EmbedBuilder } from 'discord.js';
import { check, control, env, eq, main, once } from './control.mjs';

await main(async () => {
  const info = await control('GET', '/info');
  const demo = info.demo;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
    rest: { api: env.FAKE_API },
  });
  const ready = once(client, Events.ClientReady, 20_000);
  await client.login(env.FAKE_TOKEN);
  await ready;

  eq(client.user.id, info.bot_user_id, 'bot user id');
  eq(client.application.id, info.application_id, 'application id');
  const guild = client.guilds.cache.get(demo.guild);
  check(guild, 'the demo guild arrived with GUILD_CREATE');
  eq(guild.name, 'VectoBeat Demo', 'guild name');
  eq(guild.channels.cache.get(demo.general)?.name, 'general', 'text channel');
  eq(guild.channels.cache.get(demo.music)?.isVoiceBased(), true, 'Music is a voice channel');
  eq(guild.roles.cache.get(demo.dj_role)?.name, 'DJ', 'DJ role');

  const registered = await client.application.commands.set(
    [
      { name: 'ping', description: 'Replies with pong' },
      {
        name: 'play',
        description: 'Queue a track',
        options: [{ type: 3, name: 'query', description: 'What to play', required: true }],
      },
    ],
    demo.guild,
  );
  eq(registered.size, 2, 'registered commands');
  const listed = await control('GET', `/commands?guild_id=${demo.guild}`);
  eq(listed.length, 2, 'commands seen by the fake');

  client.on(Events.InteractionCreate, async (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    if (interaction.commandName === 'play') {
      const embed = new EmbedBuilder().setTitle('Queued').setDescription(interaction.options.getString('query'));
      await interaction.reply({ content: `Queued ${interaction.options.getString('query')}`, embeds: [embed] });
    } else if (interaction.commandName === 'ping') {
      await interaction.deferReply({ flags: 64 });
      await interaction.editReply('pong');
      await interaction.followUp({ content: 'and a follow-up' });
    }
  });

  const play = await control('POST', '/interactions/commands', {
    guild_id: demo.guild,
    channel_id: demo.general,
    user_id: demo.alice,
    name: 'play',
    options: [{ name: 'query', value: 'never gonna give you up' }],
    wait: true,
  });
  eq(play.callback_type, 4, 'play answered with CHANNEL_MESSAGE_WITH_SOURCE');
  eq(play.expired, false, 'answered within the deadline');
  let messages = await control('GET', `/channels/${demo.general}/messages`);
  const reply = messages.find((m) => m.id === play.message_id);
  check(reply, 'the reply is recorded in #general');
  eq(reply.content, 'Queued never gonna give you up', 'reply content');
  eq(reply.embeds[0]?.title, 'Queued', 'reply embed');
  eq(reply.ephemeral, false, 'the reply is public');

  const ping = await control('POST', '/interactions/commands', {
    guild_id: demo.guild,
    channel_id: demo.general,
    user_id: demo.bob,
    name: 'ping',
    wait: true,
  });
  eq(ping.callback_type, 5, 'ping deferred');
  // editReply and followUp happen after the callback: wait until the fake saw both.
  for (let i = 0; i < 100; i++) {
    const state = await control('GET', `/interactions/${ping.id}`);
    if (state.followups.length === 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  messages = await control('GET', `/channels/${demo.general}/messages`);
  const original = messages.find((m) => m.id === ping.message_id);
  eq(original?.content, 'pong', 'editReply filled the deferred reply');
  eq(original?.loading, false, 'no longer loading');
  eq(original?.ephemeral, true, 'deferred with the ephemeral flag');
  check(messages.some((m) => m.content === 'and a follow-up' && m.interaction_id === ping.id), 'follow-up recorded');

  await client.destroy();
});
