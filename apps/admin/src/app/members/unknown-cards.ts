import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Page, UnknownCardDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { LanguageService } from '../core/language';
import { MembersApi } from './members-api';

/** Cards tapped on a board that no member has, newest first: the usual way a new member's card is learnt. */
@Component({
  selector: 'app-unknown-cards',
  imports: [RouterLink, TranslatePipe],
  styleUrls: ['../shared/page.css', './members.css'],
  template: `
    <section aria-labelledby="unknown-cards-title">
      <h2 id="unknown-cards-title">{{ 'members.unknown.title' | translate }}</h2>
      @if (cards.error(); as error) {
        <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
      } @else if (cards.hasValue()) {
        <ul class="unknown">
          @for (card of cards.value().items; track $index) {
            <li>
              <span class="mono">{{ card.cardUid }}</span>
              <span>
                {{
                  'members.unknown.seen'
                    | translate
                      : {
                          when: dateTime(card.lastSeenAt),
                          machine: card.lastMachineName ?? card.lastTopicId,
                          taps: card.taps,
                        }
                }}
              </span>
              @if (canEdit()) {
                <a [routerLink]="['/members/new']" [queryParams]="{ card: card.cardUid }">
                  {{ 'members.unknown.create' | translate }}
                </a>
              }
            </li>
          } @empty {
            <li>{{ 'members.unknown.empty' | translate }}</li>
          }
        </ul>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UnknownCards {
  private readonly language = inject(LanguageService);
  readonly canEdit = input(false);
  protected readonly errorKey = errorKey;
  private readonly api = inject(MembersApi);
  protected readonly cards = httpResource<Page<UnknownCardDto>>(() =>
    this.api.unknownCardsRequest({ pageSize: 10 }),
  );

  protected dateTime(iso: string): string {
    return new Intl.DateTimeFormat(this.language.current(), {
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(new Date(iso));
  }
}
