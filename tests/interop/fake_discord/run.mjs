// Harness for the fake Discord interop tests: starts `vectobeat fake-discord` on free
// ports, runs one peer script against it with the addresses in its environment, checks
// that the fake is still alive afterwards (no crash on anything the peer sent), then stops
// it with SIGTERM and expects a clean exit.
//   node run.mjs <vectobeat binary> <script.mjs> [extra fake-discord flags...]
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const [vectobeat, script, ...fakeArgs] = process.argv.slice(2);
if (!vectobeat || !script) {
  console.error('usage: run.mjs <vectobeat> <script.mjs> [fake-discord flags]');
  process.exit(2);
}
const token = 'interop-bot-token';
const fake = spawn(vectobeat, ['fake-discord', '--port', '0', '--token', token, '--log-level', 'warn', ...fakeArgs], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = new Promise((resolve) => fake.once('exit', (code, signal) => resolve({ code, signal })));

function fail(message) {
  console.error(`run.mjs: ${message}`);
  fake.kill('SIGKILL');
  process.exit(1);
}

const env = {};
let started = false;
fake.once('exit', (code) => {
  if (!started) fail(`fake-discord exited early with ${code}`);
});
await new Promise((resolve) => {
  const timer = setTimeout(() => fail('fake-discord did not print "ready" within 30 s'), 30_000);
  readline.createInterface({ input: fake.stdout }).on('line', (line) => {
    const [tag, key, value] = line.split(' ');
    if (tag !== 'fake-discord') return;
    if (key === 'ready') {
      clearTimeout(timer);
      resolve();
    } else {
      env[`FAKE_${key.toUpperCase().replace('-', '_')}`] = value;
    }
  });
});
started = true;

const childEnv = {
  ...process.env,
  ...env,
  FAKE_TOKEN: token,
  FAKE_API: env.FAKE_REST.replace(/\/v10$/, ''),
};
if (env.FAKE_VOICE_CA && env.FAKE_VOICE_CA !== '-') childEnv.NODE_EXTRA_CA_CERTS = env.FAKE_VOICE_CA;
const child = spawn(process.execPath, [path.resolve(script)], { env: childEnv, stdio: 'inherit' });
const childTimer = setTimeout(() => {
  console.error('run.mjs: the peer script did not finish within 120 s');
  child.kill('SIGKILL');
}, 120_000);
const result = await new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
clearTimeout(childTimer);

let status = result.code === 0 ? 0 : 1;
if (status) console.error(`run.mjs: ${path.basename(script)} failed (${result.code ?? result.signal})`);
if (fake.exitCode !== null || fake.signalCode !== null) {
  console.error(`run.mjs: fake-discord died during the test (${fake.exitCode ?? fake.signalCode})`);
  process.exit(1);
}
fake.kill('SIGTERM');
const stopTimer = setTimeout(() => fail('fake-discord did not stop within 15 s of SIGTERM'), 15_000);
const end = await exited;
clearTimeout(stopTimer);
// vb::runtime returns 128 + signal after a signal-initiated shutdown.
if (end.code !== 0 && end.code !== 128 + 15) {
  console.error(`run.mjs: fake-discord exited with ${end.code ?? end.signal} after SIGTERM`);
  status = 1;
}
process.exit(status);
