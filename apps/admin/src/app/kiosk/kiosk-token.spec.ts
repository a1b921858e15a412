import { byNaturalName, KIOSK_TOKEN_KEY, takeKioskToken } from './kiosk-token';

describe('the kiosk token', () => {
  beforeEach(() => localStorage.clear());

  it('comes from the URL fragment and is kept on the device', () => {
    expect(takeKioskToken({ hash: '#token=abc' }, localStorage)).toBe('abc');
    expect(localStorage.getItem(KIOSK_TOKEN_KEY)).toBe('abc');
    expect(takeKioskToken({ hash: '' }, localStorage)).toBe('abc');
  });

  it('is null without a fragment or a kept token', () => {
    expect(takeKioskToken({ hash: '' }, localStorage)).toBeNull();
  });

  it('sorts machines by natural name', () => {
    const names = ['Laser 10', 'laser 2', 'Anvil'].map((name) => ({ name }));
    expect(names.sort(byNaturalName).map((m) => m.name)).toEqual(['Anvil', 'laser 2', 'Laser 10']);
  });
});
