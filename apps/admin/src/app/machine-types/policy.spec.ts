import { parseReminderInput, reminderText } from './policy';

describe('the reminder steps of a certification policy', () => {
  it('reads days typed with commas or spaces, largest first, once each', () => {
    expect(parseReminderInput('7, 30 1,7')).toEqual([30, 7, 1]);
    expect(parseReminderInput('  ')).toEqual([]);
    expect(reminderText([30, 7, 1])).toBe('30, 7, 1');
  });

  it('refuses zero, fractions, words and more than five steps', () => {
    expect(parseReminderInput('0')).toBeNull();
    expect(parseReminderInput('1.5')).toBeNull();
    expect(parseReminderInput('a week')).toBeNull();
    expect(parseReminderInput('60 30 14 7 3 1')).toBeNull();
  });
});
