/** Runs scripts/cli-smoke.sh: the control plane, invokes and SQS queues driven by the real AWS CLI v2 (Debian package awscli). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { requirePrerequisite } from '../helpers/prerequisite.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AWS_CLI = '/usr/bin/aws';

describe('AWS CLI smoke test', () => {
  const skip = requirePrerequisite('the AWS CLI', existsSync(AWS_CLI), `${AWS_CLI} is absent: install the Debian package awscli (npm run setup does)`);

  it('creates, reads, lists, updates, invokes (also by alias, async and throttled) and deletes a function, and sends and receives through a queue, with the AWS CLI', { skip, timeout: 120_000 }, async () => {
    const child = spawn('bash', [resolve(ROOT, 'scripts', 'cli-smoke.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const code = await new Promise<number | null>((r) => child.once('close', r));
    assert.equal(code, 0, output);
    assert.match(output, /cli-smoke: OK/);
  });
});
