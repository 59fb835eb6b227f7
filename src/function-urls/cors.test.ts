import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors.ts';

describe('CORS of a function URL', () => {
  const cors = { AllowOrigins: ['https://a.example'], AllowMethods: ['GET', 'PUT'], AllowHeaders: ['x-h'], MaxAge: 60 };

  it('recognises a preflight', () => {
    assert.equal(isPreflight('OPTIONS', { origin: 'o', 'access-control-request-method': 'PUT' }), true);
    assert.equal(isPreflight('OPTIONS', { origin: 'o' }), false);
    assert.equal(isPreflight('GET', { origin: 'o', 'access-control-request-method': 'PUT' }), false);
  });

  it('answers an allowed origin with the configured settings, and nothing for another origin', () => {
    assert.deepEqual(preflightHeaders(cors, 'https://a.example'), {
      'access-control-allow-origin': 'https://a.example',
      'access-control-allow-methods': 'GET,PUT',
      'access-control-allow-headers': 'x-h',
      'access-control-max-age': '60',
      vary: 'Origin',
    });
    assert.deepEqual(preflightHeaders(cors, 'https://b.example'), {});
    assert.deepEqual(responseCorsHeaders(cors, undefined), {});
    assert.deepEqual(responseCorsHeaders(undefined, 'https://a.example'), {});
  });

  it("answers '*' for any origin, or the origin itself when credentials are allowed", () => {
    assert.equal(responseCorsHeaders({ AllowOrigins: ['*'] }, 'https://x.example')['access-control-allow-origin'], '*');
    const withCredentials = responseCorsHeaders({ AllowOrigins: ['*'], AllowCredentials: true }, 'https://x.example');
    assert.equal(withCredentials['access-control-allow-origin'], 'https://x.example');
    assert.equal(withCredentials['access-control-allow-credentials'], 'true');
  });
});
