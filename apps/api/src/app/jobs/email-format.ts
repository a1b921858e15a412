/** The languages emails are written in; anything else gets English. */
export type EmailLanguage = 'en' | 'it';

export const emailLanguage = (language: string | null | undefined): EmailLanguage =>
  language === 'it' ? 'it' : 'en';

const LOCALES: Record<EmailLanguage, string> = { en: 'en-GB', it: 'it-IT' };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Hours with at most one decimal, in the reader's notation (`3.5` / `3,5`). */
export function formatHours(hours: number, language: EmailLanguage): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 }).format(hours);
}

/** A local calendar date (`2026-02-02`) written out: `Monday 2 February 2026` / `lunedì 2 febbraio 2026`. */
export function formatDay(isoDate: string, language: EmailLanguage): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** A simple HTML email body: paragraphs, headings and lists, escaped. */
export interface HtmlBlock {
  readonly heading?: string;
  readonly paragraphs?: readonly string[];
  readonly items?: readonly string[];
  /** Paragraphs after the list. */
  readonly closing?: readonly string[];
}

export function htmlEmail(blocks: readonly HtmlBlock[]): string {
  const parts = blocks.map((b) =>
    [
      b.heading ? `<h3>${escapeHtml(b.heading)}</h3>` : '',
      ...(b.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`),
      b.items?.length ? `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '',
      ...(b.closing ?? []).map((p) => `<p>${escapeHtml(p)}</p>`),
    ].join(''),
  );
  return `<!doctype html><html><body style="font-family:sans-serif">${parts.join('')}</body></html>`;
}

export function textEmail(blocks: readonly HtmlBlock[]): string {
  return `${blocks
    .map((b) =>
      [
        ...(b.heading ? [b.heading] : []),
        ...(b.paragraphs ?? []),
        ...(b.items ?? []).map((i) => `  - ${i}`),
        ...(b.closing ?? []),
      ].join('\n'),
    )
    .join('\n\n')}\n`;
}
