import { describe, expect, it } from 'vitest';
import { json } from '../../../harness/core/json-response.ts';
import { MAX_AMOUNT, readJsonObject, requireAmount } from '../http.ts';
import { createRouter } from '../router.ts';

const router = createRouter('test system').on('POST', '/things/:id/parts', async (request, params) => {
  const { body } = await readJsonObject(request);
  return json(201, { id: params.id, amount: requireAmount(body, 'amount'), note: body.note });
});

const post = (path: string, body: BodyInit, type = 'application/json') =>
  router.handle(new Request(`http://sim.test${path}`, { method: 'POST', body, headers: { 'content-type': type } }));

const errorOf = async (response: Response): Promise<string> => ((await response.json()) as { error: string }).error;

describe('simulator input at the door', () => {
  it('answers a malformed percent-encoding in the path with 400, not 500', async () => {
    for (const path of ['/things/%E0%A4%A/parts', '/things/%/parts', '/things/%ZZ/parts']) {
      const response = await post(path, '{"amount": 1}');
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toContain('malformed percent-encoding');
    }
  });

  it('refuses a body that is not valid UTF-8 with 400 and the fix', async () => {
    const response = await post(
      '/things/x/parts',
      new Uint8Array([
        0x7b, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x2c, 0x22, 0x61, 0x6d, 0x6f, 0x75, 0x6e, 0x74, 0x22, 0x3a, 0x31, 0x7d,
      ]),
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toContain('not valid UTF-8');
  });

  it('decodes a body declared ISO-8859-1 per its charset', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"amount": 1, "note": "Caf'), 0xe9, 0x80, ...new TextEncoder().encode('"}')]);
    const response = await post('/things/x/parts', bytes, 'application/json; charset=ISO-8859-1');
    expect(response.status).toBe(201);
    expect(((await response.json()) as { note: string }).note).toBe('Café\u0080');
  });

  it('refuses a charset it cannot decode with 415', async () => {
    expect((await post('/things/x/parts', '{"amount": 1}', 'application/json; charset=shift_jis')).status).toBe(415);
  });

  it('refuses amounts whose cents cannot be exact, 1e308 included', async () => {
    for (const amount of ['1e308', '1e300', String(MAX_AMOUNT + 1)]) {
      const response = await post('/things/x/parts', `{"amount": ${amount}}`);
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toContain(`at most ${MAX_AMOUNT}`);
    }
    expect((await post('/things/x/parts', `{"amount": ${MAX_AMOUNT}}`)).status).toBe(201);
  });
});
