import fc from 'fast-check';

/** One seed for every fuzz property, so a failure is replayed by running the suite again. */
export const FUZZ_SEED = 16_2026;

/** Runs per property: bounded so the whole suite stays well under 20 s on a shared two-core machine. */
export const FUZZ_RUNS = 150;

/** A request that has not answered within this is a hang. */
export const HANG_MS = 2_000;

/** The answer, or a rejection naming the request that hung. */
export async function answerWithin(what: string, promise: Promise<Response>): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms to ${what}`)), HANG_MS);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** JSON-like junk in the shapes clients get wrong: wrong types, nesting, huge and odd numbers, odd strings. */
export const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', '%', '%E0%A4%A', '\u0000', '\ud800', '1e400', 'NaN', 'admin', 'res.users', 'password', '=like', '%a%a%a%a%a%b'),
    fc.integer(),
    fc.constantFrom(2 ** 53 + 2, -(2 ** 60), 2 ** 31, 1e300, -1e308, 0.1, 5e-324),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Bytes that are not valid UTF-8, and texts that are not JSON or XML. */
export const rawBodies: fc.Arbitrary<Uint8Array<ArrayBuffer> | string> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => new Uint8Array(bytes)),
  fc.string({ maxLength: 64 }),
  fc.constantFrom(
    '{',
    '[]',
    'null',
    '{"params":',
    '<methodCall>',
    '<?xml version="1.0"?><methodCall><methodName>x</methodName><params><param><value><int>99999999999999999999999</int></value></param></params></methodCall>',
  ),
  fc
    .integer({ min: 1, max: 6000 })
    .map((depth) => `{"id":${'['.repeat(depth)}${']'.repeat(depth)},"params":{"service":"common","method":"version","args":[]}}`),
);
