/** A running duration as `h:mm:ss` (never negative: the browser clock may be slightly behind). */
export function formatElapsed(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** A date and time in the portal language, e.g. `12/03/2026, 14:05:09` in Italian. */
export function formatDateTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'short', timeStyle: 'medium' });
}

/** A time of day in the portal language (the feed shows today's taps). */
export function formatTime(iso: string, language: string): string {
  return new Date(iso).toLocaleTimeString(language, { timeStyle: 'medium' });
}
