import { MAX_REMINDER_STEPS } from '@fabomatic/contracts';

/**
 * `30, 7, 1` → [30, 7, 1]: the reminder steps typed on the machine type form, largest first, or
 * null when something typed is not a positive whole number of days or there are too many steps.
 */
export function parseReminderInput(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (!parts.every((part) => /^\d+$/.test(part) && Number(part) > 0)) return null;
  const days = [...new Set(parts.map(Number))].sort((a, b) => b - a);
  return days.length > MAX_REMINDER_STEPS ? null : days;
}

/** [30, 7, 1] → `30, 7, 1` for the form's field. */
export function reminderText(days: readonly number[]): string {
  return days.join(', ');
}
