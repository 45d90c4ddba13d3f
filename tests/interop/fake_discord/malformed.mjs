// Hostile input from an independent WebSocket/HTTP client (the `ws` package and fetch):
// every case must end with Discord's close code or HTTP error, and the fake must keep
// serving (run.mjs also checks that the process is still alive afterwards).
import WebSocket from 'ws';
import { check, control, env, eq, main } from './control.mjs';

// Opens `url`, waits for Hello (op 10 / voice op 8), runs `act(ws)`, resolves with the close code.
function closeCode(url, act, { hello = true } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no close from ${url} within 10 s`));
    }, 10_000);
    let acted = false;
    const go = () => {
      if (acted) return;
      acted = true;
      act(ws);
    };
    ws.on('open', () => {
      if (!hello) go();
    });
    ws.on('message', () => go());
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve(`http ${res.statusCode}`);
    });
    ws.on('error', () => {});
  });
}

const identify = (token, extra = {}) =>
  JSON.stringify({ op: 2, d: { token, intents: 129, properties: { os: 'linux', browser: 't', device: 't' }, ...extra } });

await main(async () => {
  const gw = `${env.FAKE_GATEWAY}/?v=10&encoding=json`;
  const t = env.FAKE_TOKEN;
  eq(await closeCode(gw, (ws) => ws.send('{"op": 2, "d": {')), 4002, 'malformed JSON');
  eq(await closeCode(gw, (ws) => ws.send(JSON.stringify({ op: 1, d: 'x'.repeat(5000) }))), 4002, 'payload over 4096 bytes');
  eq(await closeCode(gw, (ws) => ws.send(Buffer.from([1, 2, 3]))), 4002, 'binary frame with encoding=json');
  eq(await closeCode(gw, (ws) => ws.send(identify('wrong-token'))), 4004, 'wrong token');
  eq(await closeCode(gw, (ws) => ws.send(JSON.stringify({ op: 4, d: { guild_id: '1', channel_id: null } }))), 4003, 'op 4 before Identify');
  eq(await closeCode(gw, (ws) => ws.send(JSON.stringify({ op: 99, d: null }))), 4001, 'unknown opcode');
  eq(await closeCode(gw, (ws) => ws.send(identify(t, { shard: [2, 2] }))), 4010, 'invalid shard');
  eq(await closeCode(gw, (ws) => ws.send(identify(t, { intents: 1 << 30 }))), 4013, 'invalid intents');
  eq(await closeCode(`${env.FAKE_GATEWAY}/?v=6&encoding=json`, () => {}), 4012, 'API version 6');
  // One successful Identify (identifies are rate limited to one per 5 s): a second
  // Identify on that connection gets 4005, which leaves the session resumable; a Resume
  // with a sequence number the session never reached then gets 4007.
  let session;
  eq(
    await closeCode(gw, (ws) => {
      ws.send(identify(t));
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.t !== 'READY') return;
        session = m.d.session_id;
        ws.send(identify(t));
      });
    }),
    4005,
    'second Identify',
  );
  check(session, 'READY carried a session id');
  eq(
    await closeCode(gw, (ws) => ws.send(JSON.stringify({ op: 6, d: { token: t, session_id: session, seq: 1000 } }))),
    4007,
    'Resume with an invalid seq',
  );

  // Voice gateway (wss; the CA comes from NODE_EXTRA_CA_CERTS).
  const voice = `wss://${env.FAKE_VOICE}/?v=8`;
  const vIdentify = JSON.stringify({
    op: 0,
    d: { server_id: '1', user_id: '2', session_id: 'nope', token: 'nope', max_dave_protocol_version: 0 },
  });
  eq(await closeCode(voice, (ws) => ws.send(vIdentify)), 4004, 'voice Identify without a grant');
  eq(
    await closeCode(voice, (ws) =>
      ws.send(JSON.stringify({ op: 1, d: { protocol: 'udp', data: { address: '127.0.0.1', port: 1, mode: 'aead_aes256_gcm_rtpsize' } } })),
    ),
    4003,
    'Select Protocol before Identify',
  );
  eq(await closeCode(voice, (ws) => ws.send('not json')), 4002, 'voice malformed JSON');
  eq(await closeCode(voice, (ws) => ws.send(JSON.stringify({ op: 77, d: {} }))), 4001, 'voice unknown opcode');
  eq(await closeCode(`wss://${env.FAKE_VOICE}/`, () => {}, { hello: false }), 'http 400', 'voice without ?v=');

  // REST.
  const headers = { authorization: `Bot ${t}`, 'user-agent': 'DiscordBot (https://example.test, 1.0)' };
  const info = await control('GET', '/info');
  let res = await fetch(`${env.FAKE_REST}/channels/${info.demo.general}/messages`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{"content": ',
  });
  eq(res.status, 400, 'invalid JSON body');
  eq((await res.json()).code, 50109, 'Discord code for invalid JSON');
  res = await fetch(`${env.FAKE_REST}/users/@me`, { headers: { 'user-agent': headers['user-agent'] } });
  eq(res.status, 401, 'no Authorization');
  res = await fetch(`${env.FAKE_REST}/users/@me`, { headers: { ...headers, authorization: 'Bot wrong' } });
  eq(res.status, 401, 'wrong token');
  res = await fetch(`${env.FAKE_REST}/users/@me`, { headers: { authorization: headers.authorization, 'user-agent': 'curl/8' } });
  eq(res.status, 400, 'User-Agent not DiscordBot');
  res = await fetch(`${env.FAKE_REST}/channels/abc/messages`, { headers });
  eq(res.status, 400, 'a path id that is not a snowflake');
  res = await fetch(`${env.FAKE_REST}/no/such/route`, { headers });
  eq(res.status, 404, 'unknown route');
  res = await fetch(`${env.FAKE_REST}/channels/${info.demo.general}/messages`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ content: 'x'.repeat(2 * 1024 * 1024) }),
  });
  eq(res.status, 413, 'body over the limit');
  res = await fetch(`${env.FAKE_REST}/channels/${info.demo.general}/messages`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ content: 'x'.repeat(2001) }),
  });
  eq(res.status, 400, 'content over 2000 characters');
  eq((await res.json()).code, 50035, 'Invalid Form Body');

  // Still serving.
  const after = await control('GET', '/info');
  eq(after.application_id, info.application_id, 'the fake still answers');
  const stats = await control('GET', '/rest/stats');
  check(stats.unauthorized >= 2, 'unauthorized requests counted');
});
