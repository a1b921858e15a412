import { ERROR_CODES } from '@fabomatic/contracts';
import english from '../../../public/i18n/en.json';
import italian from '../../../public/i18n/it.json';
import { RULE_MESSAGES } from '../shared/field-rules';

/** Codes the portal makes up itself, with no API behind them. */
const PORTAL_ONLY_CODES = ['OFFLINE'];
const LANGUAGES = { en: english, it: italian } as const;

/** The text of a dotted key in a nested translation object, if it is one. */
function textOf(translations: object, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], translations);
}

describe('error translations', () => {
  it.each(Object.entries(LANGUAGES))(
    '%s has a message for every error code of the API',
    (_, translations) => {
      const missing = ERROR_CODES.filter(
        (code) => typeof textOf(translations, `errors.${code}`) !== 'string',
      );
      expect(missing).toEqual([]);
    },
  );

  it.each(Object.entries(LANGUAGES))(
    '%s has no message for a code the API does not send',
    (_, translations) => {
      const known = new Set<string>([...ERROR_CODES, ...PORTAL_ONLY_CODES]);
      expect(Object.keys(translations.errors).filter((code) => !known.has(code))).toEqual([]);
    },
  );

  it.each(Object.entries(LANGUAGES))(
    '%s states every validation rule the portal words',
    (_, translations) => {
      const keys = Object.values(RULE_MESSAGES).filter((key) => key !== undefined);
      expect(keys.filter((key) => typeof textOf(translations, key) !== 'string')).toEqual([]);
    },
  );
});
