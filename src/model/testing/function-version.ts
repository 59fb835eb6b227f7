/** Test support: a complete, settled (Active / Successful) FunctionVersionConfig, with only what a test cares about overridden. */
import type { FunctionVersionConfig } from '../function-config.ts';

export function functionVersion(functionName: string, over: Partial<FunctionVersionConfig> = {}): FunctionVersionConfig {
  return {
    functionName,
    version: '$LATEST',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::000000000000:role/r',
    description: '',
    timeoutSec: 3,
    memorySizeMb: 128,
    ephemeralStorageMb: 512,
    environment: {},
    architectures: ['x86_64'],
    layers: [],
    packageType: 'Zip',
    loggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${functionName}` },
    tracingMode: 'PassThrough',
    codeSha256Hex: 'ab'.repeat(32),
    codeSize: 1,
    revisionId: 'r',
    lastModifiedMs: 0,
    state: 'Active',
    lastUpdateStatus: 'Successful',
    ...over,
  };
}
