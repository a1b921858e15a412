import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { type Language, LANGUAGES, LanguageService } from '../core/language';

@Component({
  selector: 'app-language-switch',
  imports: [TranslatePipe],
  template: `
    <label>
      {{ 'language.label' | translate }}
      <select [value]="language.current()" (change)="choose($event)">
        @for (code of languages; track code) {
          <option [value]="code">{{ 'language.' + code | translate }}</option>
        }
      </select>
    </label>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LanguageSwitch {
  protected readonly language = inject(LanguageService);
  protected readonly languages = LANGUAGES;

  protected choose(event: Event): void {
    this.language.use((event.target as HTMLSelectElement).value as Language);
  }
}
