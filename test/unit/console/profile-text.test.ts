import { percent } from '../../../console/src/profiles/profile-text';

describe('a probability as the console shows it', () => {
  it('rounds to a whole percent, and never claims a certainty the model does not', () => {
    expect(percent(0.8731)).toBe('87%');
    expect(percent(0.5)).toBe('50%');
    expect(percent(0.9949)).toBe('99%');
    expect(percent(0.9996)).toBe('over 99%');
    expect(percent(1)).toBe('over 99%');
    expect(percent(0.004)).toBe('under 1%');
    expect(percent(0)).toBe('0%');
  });
});
