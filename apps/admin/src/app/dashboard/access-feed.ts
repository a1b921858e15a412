import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import type { AccessEventMessage } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../core/language';
import { formatTime } from './time-format';

/** Taps and remote commands as they happen, newest first, each with its translated reason. */
@Component({
  selector: 'app-access-feed',
  imports: [TranslatePipe],
  styleUrl: './access-feed.css',
  template: `
    <ol aria-live="polite">
      @for (event of events(); track event.id) {
        <li [class.denied]="!event.granted">
          <time [attr.datetime]="event.occurredAt">{{ time(event.occurredAt) }}</time>
          <span class="machine">{{ event.machineName ?? event.topicId }}</span>
          <span class="who">
            {{ event.memberName ?? ('dashboard.feed.card' | translate: { uid: event.cardUid ?? '—' }) }}
          </span>
          <span class="action">{{ 'access-actions.' + event.action | translate }}</span>
          <span class="decision">
            <strong>{{
              (event.granted ? 'dashboard.feed.granted' : 'dashboard.feed.denied') | translate
            }}</strong>
            {{ 'access-reasons.' + event.reason | translate }}
            @if (event.count > 1) {
              {{ 'activity.times' | translate: { count: event.count } }}
            }
          </span>
        </li>
      } @empty {
        <li class="empty">{{ 'dashboard.feed.empty' | translate }}</li>
      }
    </ol>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccessFeed {
  private readonly language = inject(LanguageService);
  readonly events = input.required<readonly AccessEventMessage[]>();

  protected time(iso: string): string {
    return formatTime(iso, this.language.current());
  }
}
