import { Injectable } from '@angular/core';
import {
  type InterpolatableTranslation,
  type InterpolatableTranslationObject,
  type InterpolationParameters,
  TranslateCompiler,
  type TranslationObject,
} from '@ngx-translate/core';

/** `{count, plural, one {# tap} other {# taps}}`: the ICU plural argument a message may hold. */
const PLURAL = /\{\s*(\w+)\s*,\s*plural\s*,/;
/** `{{name}}`, as the default parser interpolates it. */
const PARAMETER = /{{\s?([^{}\s]*)\s?}}/g;

interface PluralPart {
  readonly argument: string;
  /** By selector: `=0`, `one`, `other`…; each a message of its own (it may nest plurals). */
  readonly cases: ReadonlyMap<string, readonly Part[]>;
}
type Part = string | PluralPart;

/** The text of `{…}` starting at `open` (a `{`), and the index after its `}`. */
function block(message: string, open: number): [string, number] {
  let depth = 0;
  for (let i = open; i < message.length; i++) {
    if (message[i] === '{') depth++;
    else if (message[i] === '}' && --depth === 0) return [message.slice(open + 1, i), i + 1];
  }
  throw new Error(`unbalanced braces in "${message}"`);
}

/** A message cut into text and ICU plural arguments; `{{name}}` parameters stay in the text. */
function parse(message: string): Part[] {
  const parts: Part[] = [];
  let rest = message;
  for (let match = PLURAL.exec(rest); match; match = PLURAL.exec(rest)) {
    if (match.index > 0) parts.push(rest.slice(0, match.index));
    const [body, end] = block(rest, match.index);
    const cases = new Map<string, Part[]>();
    let tail = body.slice(body.indexOf('plural') + 'plural'.length).replace(/^\s*,/, '');
    for (
      let selector = /^\s*(=\d+|\w+)\s*\{/.exec(tail);
      selector;
      selector = /^\s*(=\d+|\w+)\s*\{/.exec(tail)
    ) {
      const [text, after] = block(tail, selector[0].length - 1);
      cases.set(selector[1] ?? 'other', parse(text));
      tail = tail.slice(after);
    }
    if (!cases.has('other')) throw new Error(`plural without "other" in "${message}"`);
    parts.push({ argument: match[1] ?? '', cases });
    rest = rest.slice(end);
  }
  if (rest) parts.push(rest);
  return parts;
}

function render(
  parts: readonly Part[],
  params: InterpolationParameters,
  rules: Intl.PluralRules,
  count: string,
): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part.replaceAll('#', count);
      const value = Number(params[part.argument]);
      const chosen =
        part.cases.get(`=${value}`) ?? part.cases.get(rules.select(value)) ?? part.cases.get('other') ?? [];
      return render(
        chosen,
        params,
        rules,
        new Intl.NumberFormat(rules.resolvedOptions().locale).format(value),
      );
    })
    .join('');
}

/**
 * A message with ICU plural arguments as a function of its parameters, in the plural rules of
 * `language`: `{count, plural, one {# tap} other {# taps}}` reads "1 tap", "2 taps" (`=0 {…}`
 * cases too; `#` is the number in the language's format). `{{name}}` parameters still work inside.
 */
export function compilePlural(
  message: string,
  language: string,
): (params?: InterpolationParameters) => string {
  const parts = parse(message);
  const rules = new Intl.PluralRules(language);
  return (params = {}) =>
    render(parts, params, rules, '#').replace(PARAMETER, (whole, key: string) => {
      const value: unknown = params[key];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
    });
}

function compileValue(value: unknown, language: string): InterpolatableTranslation {
  if (typeof value === 'string') return PLURAL.test(value) ? compilePlural(value, language) : value;
  if (Array.isArray(value)) return value.map((item) => compileValue(item, language));
  if (value && typeof value === 'object') {
    const out: InterpolatableTranslationObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = compileValue(item, language);
    return out;
  }
  return value as null | undefined;
}

/**
 * ngx-translate's compiler for the portal: messages with ICU plural arguments become functions
 * (singular and plural right in each language); every other message is left to the default parser.
 */
@Injectable()
export class PluralCompiler extends TranslateCompiler {
  compile(value: string, lang: string): InterpolatableTranslation {
    return compileValue(value, lang);
  }

  compileTranslations(translations: TranslationObject, lang: string): InterpolatableTranslationObject {
    return compileValue(translations, lang) as InterpolatableTranslationObject;
  }
}
