// Graceful shutdown: on SIGTERM a request already in flight completes, new ones are refused, and
// the process exits cleanly after closing the database.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('../test/fixtures/slow-server.ts', import.meta.url));

test('SIGTERM lets the in-flight request finish, then the process exits 0', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`fixture exited early (${code}): ${output}`)));
  });
  const exited = once(child, 'exit');

  const inFlight = fetch(`${url}/v1/test/slow`).then(async (response) => ({
    status: response.status,
    body: await response.json(),
  }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 200));

  const late = await fetch(`${url}/healthz`).then(
    (response) => response.status,
    () => 'refused',
  );
  assert.ok(late === 'refused' || late === 503, `a new request after SIGTERM is refused (got ${late})`);

  assert.deepEqual(await inFlight, { status: 200, body: { finished: true } });
  const [code] = await exited;
  assert.equal(code, 0);
  const stoppedAt = output.indexOf('"msg":"stopped"');
  assert.ok(stoppedAt > output.indexOf('"msg":"shutting down"'), 'database closed after shutdown began');
});
