import anyAscii from 'any-ascii';

/** The board's LCD is 16x2 ASCII (HD44780). */
const LCD_WIDTH = 16;

/**
 * Makes a string safe for the board's LCD: transliterated to ASCII (`Lucía` → `Lucia`), printable
 * characters only, spaces folded, cut to 16 characters.
 */
export function toLcdText(input: string | null | undefined, width = LCD_WIDTH): string {
  if (!input) return '';
  return anyAscii(input)
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, width)
    .trimEnd();
}
