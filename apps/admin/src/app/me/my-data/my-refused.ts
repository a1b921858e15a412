import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { MyRefusedTapDto, Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../../core/language';
import { injectListQuery } from '../../shared/list-query';
import { ListState } from '../../shared/list-state';
import { formatDateTime } from '../../shared/localised';
import { type Message, MessagePipe } from '../../shared/message';
import { MyDataApi } from './my-data-api';
import { refusalMessage } from './refusal';

/** `/me/refused`: the member's refused taps, newest first, each reason in plain words. */
@Component({
  selector: 'app-my-refused',
  imports: [TranslatePipe, MessagePipe, ListState],
  styleUrls: ['../../shared/page.css', './my-data.css'],
  template: `
    <main>
      <h1>{{ 'my-data.refused.title' | translate }}</h1>
      <p class="hint">{{ 'my-data.refused.intro' | translate }}</p>
      <app-list-state
        [resource]="refused"
        [list]="list"
        loadError="my-data.load-error"
        empty="my-data.refused.none"
      >
        <ul class="cards" [attr.aria-label]="'my-data.refused.title' | translate">
          @for (tap of page()?.items; track tap.id) {
            <li>
              <h3>{{ phrase(tap) | message }}</h3>
              <p class="meta">
                {{ dateTime(tap.occurredAt) }}
                @if (tap.machineName) {
                  · {{ tap.machineName }}
                }
              </p>
            </li>
          }
        </ul>
      </app-list-state>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyRefused {
  private readonly api = inject(MyDataApi);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery([]);
  protected readonly refused = httpResource<Page<MyRefusedTapDto>>(() =>
    this.api.refusedRequest(this.list.query()),
  );
  protected readonly page = computed(() => (this.refused.hasValue() ? this.refused.value() : undefined));

  protected phrase(tap: MyRefusedTapDto): Message {
    return refusalMessage(tap, this.language.current());
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
