import { describe, expect, it } from 'vitest';
import { json } from '../../../harness/core/json-response.ts';
import { BadInput, readJsonObject, requireAmount } from '../http.ts';
import { createRouter } from '../router.ts';

const post = (path: string, body: string, type = 'application/json') =>
  new Request(`http://sim.test${path}`, { method: 'POST', body, headers: { 'content-type': type } });

describe('router and JSON input', () => {
  const router = createRouter('test system')
    .on('POST', '/things/:id/parts', async (request, params) => {
      const { body } = await readJsonObject(request);
      return json(201, { id: params.id, amount: requireAmount(body, 'amount') });
    })
    .on('GET', '/things', () => json(200, { things: [] }));

  it('routes by method and path and passes path parameters', async () => {
    const response = await router.handle(post('/things/a%20b/parts', '{"amount": 2.31}'));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 'a b', amount: 2.31 });
  });

  it('answers malformed JSON, a non-object and an empty body with 400 and a reason', async () => {
    for (const [body, reason] of [
      ['{"amount": ', 'not valid JSON'],
      ['[1,2]', 'must be a JSON object'],
      ['  ', 'body is empty'],
      ['{"amount": 1.005}', 'at most 2 decimals'],
      ['{"amount": -3}', 'must be a positive number'],
    ] as const) {
      const response = await router.handle(post('/things/x/parts', body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(reason);
    }
  });

  it('answers a non-JSON content type with 415', async () => {
    const response = await router.handle(post('/things/x/parts', 'amount=1', 'application/x-www-form-urlencoded'));
    expect(response.status).toBe(415);
  });

  it('answers an unknown path with 404 listing the routes, and a wrong method with 405', async () => {
    const missing = await router.handle(new Request('http://sim.test/nothing'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('GET /things');
    const wrong = await router.handle(new Request('http://sim.test/things', { method: 'DELETE' }));
    expect(wrong.status).toBe(405);
  });

  it('turns an unexpected handler failure into a 500 that names the system', async () => {
    const failing = createRouter('flaky').on('GET', '/x', () => {
      throw new Error('boom');
    });
    const response = await failing.handle(new Request('http://sim.test/x'));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toBe('flaky failed on GET /x: boom');
    expect(new BadInput(422, 'x').status).toBe(422);
  });
});
