import type { FieldRule } from '@fabomatic/contracts';
import { type Message, message } from './message';

/**
 * The translation key of each rule the API names in a VALIDATION_FAILED answer (`rules`), stated with
 * its limits (`{{min}}`, `{{max}}`); `taken` is a value a clash names. Other rules: "refused".
 */
export const RULE_MESSAGES: Readonly<Partial<Record<string, string>>> = {
  isLength: 'validation.length',
  maxLength: 'validation.max-length',
  minLength: 'validation.min-length',
  min: 'validation.min',
  max: 'validation.max',
  isPositive: 'validation.positive',
  isInt: 'validation.whole-number',
  isNumber: 'validation.number',
  isString: 'validation.text',
  isBoolean: 'validation.yes-no',
  isEmail: 'validation.email',
  isUrl: 'validation.url',
  isISO8601: 'validation.date',
  isIn: 'validation.choice',
  isTimeZone: 'validation.time-zone',
  isTopicId: 'validation.topic-id',
  matches: 'validation.format',
  arrayMinSize: 'validation.min-items',
  arrayMaxSize: 'validation.max-items',
  whitelistValidation: 'validation.unknown-field',
  taken: 'validation.taken',
  notBeforeFrom: 'validation.not-before-from',
  afterFrom: 'validation.after-from',
  maxYears: 'validation.max-years',
  afterStart: 'validation.after-start',
  notInFuture: 'validation.not-in-future',
};

/** The message of the first rule of a refused field that the portal can state, if any. */
export function ruleMessage(rules: readonly FieldRule[]): Message | null {
  for (const { rule, min, max } of rules) {
    const key = RULE_MESSAGES[rule];
    if (key)
      return message(key, { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
  }
  return null;
}
