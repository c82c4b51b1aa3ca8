import { NORMALISED_PLATE_PATTERN, normalisePlate, PLATE_PATTERN } from '../../../shared/domain/events/plates';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { PlateReadBatchSchema } from '../../../shared/domain/lpr/lpr-schema';

// A sixth audit: plates with a Unicode dash or a non-breaking space (as phones and OCR exports write them) were refused with 400.
describe('plates as written', () => {
  test.each(['abc–123', 'abc—123', 'abc‐123', 'abc‑123', 'abc\u00a0123', ' abc123', 'ABC-123', 'a b c 1 2 3', 'abc.123', 'abc−123'])('%j is ABC123', (plate) => {
    expect(PLATE_PATTERN.test(plate)).toBe(true);
    expect(normalisePlate(plate)).toBe('ABC123');
    expect(NORMALISED_PLATE_PATTERN.test(normalisePlate(plate))).toBe(true);
  });

  test.each(['', '-', '   ', 'abc/123', 'ABC_123', `${'A'.repeat(21)}`, 'A\nNO OFFENCE', 'ABC\t123', 'ABC\u2028123'])('%j is not a plate', (plate) => expect(PLATE_PATTERN.test(plate)).toBe(false));

  test('kept as given in an event, and a read of it is accepted', () => {
    const event = EventInputSchema.parse({ storeId: 's1', occurredAt: '2026-11-20T14:05:00Z', type: 'shoplifting', prevented: false, vehicles: [{ plate: 'abc–123' }] });
    expect(event.vehicles?.[0]?.plate).toBe('abc–123');
    expect(PlateReadBatchSchema.safeParse({ reads: [{ plate: 'OIB–SZ1', storeId: 's1', cameraId: 'c1', readAt: '2026-11-20T14:05:00Z', confidence: 0.9 }] }).success).toBe(true);
  });
});
