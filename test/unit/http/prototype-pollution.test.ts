import { HttpRequest } from '@azure/functions';
import { readJsonBody } from '../../../shared/http/json-body';
import { parseWith } from '../../../shared/domain/validation';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { applyMergePatch } from '../../../shared/domain/events/merge-patch';
import { canonicalJson } from '../../../shared/domain/canonical-json';
import { assertNoSensitiveFields } from '../../../shared/domain/screening';

/**
 * Prototype pollution, checked where bodies are handled: the edge's JSON reading, the sensitive
 * field screen, validation, the merge patch of PATCH /events and the idempotency hash all run here
 * in this process, on hostile bodies, and then nothing may have reached Object.prototype. (The
 * fuzz test posts such bodies to the stack, whose prototype a test process cannot see.)
 */
const hostile = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"people":[{"ref":"p1","role":"offender","__proto__":{"polluted":true}}]}',
  '{"description":{"__proto__":{"polluted":true}},"products":[{"constructor":{"prototype":{"polluted":true}}}]}',
  '{"vehicles":[{"plate":"ABC123","__proto__":{"__proto__":{"polluted":true}}}]}',
];

const request = (body: string) => new HttpRequest({ method: 'POST', url: 'http://localhost/api/v1/events', headers: { 'content-type': 'application/json' }, body: { bytes: Buffer.from(body) } });

const attempt = (f: () => unknown) => {
  try {
    f();
  } catch {
    // refused: what matters is what it left behind
  }
};

describe('hostile bodies leave Object.prototype alone', () => {
  it.each(hostile)('%s', async (raw) => {
    const parsed = await readJsonBody(request(raw));
    attempt(() => assertNoSensitiveFields(parsed));
    attempt(() => parseWith(EventInputSchema, parsed, 'body'));
    attempt(() => canonicalJson(parsed));
    const base = { storeId: 's', people: [{ ref: 'p1', role: 'offender' }], vehicles: [{ plate: 'X' }], description: 'd' };
    attempt(() => applyMergePatch(base, parsed));
    attempt(() => applyMergePatch(parsed, base));
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(applyMergePatch(base, parsed))).toBe(Object.prototype);
  });
});
