import { Pipe, type PipeTransform } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';

/** A message to show: a translation key and the values it interpolates (`{{member}}`, `{{max}}`). */
export interface Message {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export const message = (key: string, params: Message['params'] = {}): Message => ({ key, params });

/**
 * Translates a {@link Message} with its values, or a bare translation key: `{{ error() | message }}`.
 * Nothing for null or an empty key.
 */
@Pipe({ name: 'message', pure: false })
export class MessagePipe extends TranslatePipe implements PipeTransform {
  override transform(value: Message | string | null | undefined): string {
    if (!value) return '';
    const translated: unknown =
      typeof value === 'string' ? super.transform(value) : super.transform(value.key, value.params);
    return String(translated);
  }
}
