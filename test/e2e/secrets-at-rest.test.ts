/**
 * Environment variables at rest (issue 14, item 4): sealed in the database, in the clear only to
 * the caller of GetFunction and inside the sandbox; never in Flint's log (debug level), `flint
 * status`, `/metrics` or the console's data. KMSKeyArn validated as Lambda does, recorded and shown.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GetFunctionConfigurationCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, InvalidParameterValueException, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { SKIP_WITHOUT_SANDBOXES } from '../sandbox/sandbox-fixture.ts';
import { deploy, invoke } from './invoke-support.ts';
import { rejectsWith, uniqueName } from './lambda-support.ts';

const run = promisify(execFile);
const FLINT = new URL('../../bin/flint.mjs', import.meta.url).pathname;
const KMS = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('environment variables at rest', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  const running = useFlint({ env: { FLINT_LOG_LEVEL: 'debug' } });
  const marker = `secret-${randomBytes(12).toString('hex')}`;

  it('the sandbox sees the value; the database, the debug log, flint status, /metrics and the console data do not', async () => {
    const { flint, client } = running;
    const handler = [{ name: 'index.js', content: 'exports.handler = async () => process.env.SECRET_X;' }];
    const { name } = await deploy(client, handler, { Environment: { Variables: { SECRET_X: marker } }, KMSKeyArn: KMS });
    assert.equal((await invoke(client, name)).json, marker);
    const shown = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.deepEqual(shown.Environment?.Variables, { SECRET_X: marker }, 'the caller gets the variables back, as from Lambda');
    assert.equal(shown.KMSKeyArn, KMS);
    const published = await client.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(published.KMSKeyArn, KMS);
    assert.equal((await invoke(client, name, {}, { qualifier: published.Version! })).json, marker);
    // a too-large set of variables: Lambda echoes them to the caller; Flint's log must not
    await rejectsWith(
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { SECRET_X: marker, PAD: 'p'.repeat(4100) } } })),
      InvalidParameterValueException, 400, /exceeded the 4KB limit/,
    );

    const { stdout: status } = await run(process.execPath, [FLINT, 'status', '--json', '--endpoint', flint.endpoint]);
    assert.ok(status.length > 0 && !status.includes(marker), 'flint status --json shows a value');
    const metrics = await (await fetch(`${flint.endpoint}/metrics`)).text();
    assert.ok(!metrics.includes(marker), '/metrics shows a value');
    const overview = await (await fetch(`${flint.endpoint}/console/api/functions`)).text();
    assert.ok(overview.includes(name) && !overview.includes(marker), 'the console data shows a value');

    assert.ok(flint.logs().includes('"level":20'), 'the run logs at debug level');
    assert.ok(!flint.logs().includes(marker), 'the log holds a value');
    const dbFiles = readdirSync(flint.dataDir).filter((f) => f.startsWith('flint.db'));
    assert.ok(dbFiles.length > 0);
    for (const f of dbFiles) assert.ok(!readFileSync(join(flint.dataDir, f)).includes(marker), `${f} holds a value in the clear`);
  });

  it('KMSKeyArn: refused unless an ARN, shown only when set, cleared with an empty string', async () => {
    const { client } = running;
    const name = uniqueName('kms');
    const handler = [{ name: 'index.js', content: 'exports.handler = async () => 1;' }];
    await rejectsWith(
      deploy(client, handler, { FunctionName: name, KMSKeyArn: 'not-an-arn' }),
      'ValidationException', 400,
      "1 validation error detected: Value 'not-an-arn' at 'kMSKeyArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
    );
    await deploy(client, handler, { FunctionName: name });
    assert.equal((await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).KMSKeyArn, undefined);
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, KMSKeyArn: KMS }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    assert.equal((await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).KMSKeyArn, KMS);
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, KMSKeyArn: '' }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    assert.equal((await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).KMSKeyArn, undefined);
  });
});
