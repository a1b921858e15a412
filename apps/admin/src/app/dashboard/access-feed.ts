import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import type { SessionMessage } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../core/language';
import type { FeedEntry } from './feed-entry';
import { formatElapsed, formatTime } from '../shared/time-format';

/**
 * Taps, remote commands and sessions as they happen, newest first: each tap with its translated
 * decision, each session start, and each session end with how long it lasted.
 */
@Component({
  selector: 'app-access-feed',
  imports: [TranslatePipe],
  styleUrl: './access-feed.css',
  template: `
    <ol aria-live="polite">
      @for (entry of entries(); track entry.key) {
        @if (entry.kind === 'access') {
          @let event = entry.event;
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
              @if (event.reason !== 'granted') {
                {{ 'access-reasons.' + event.reason | translate }}
              }
              @if (event.count > 1) {
                {{ 'activity.times' | translate: { count: event.count } }}
              }
            </span>
          </li>
        } @else {
          <li class="session">
            <time [attr.datetime]="entry.occurredAt">{{ time(entry.occurredAt) }}</time>
            <span class="machine">{{ machineName()(entry.session.machineId) }}</span>
            <span class="who">{{ memberName()(entry.session.memberId) }}</span>
            <span class="action">{{
              (entry.started ? 'dashboard.feed.session-started' : 'dashboard.feed.session-ended') | translate
            }}</span>
            <span class="decision">
              @if (!entry.started) {
                {{ 'dashboard.feed.duration' | translate: { duration: duration(entry.session) } }}
              }
            </span>
          </li>
        }
      } @empty {
        <li class="empty">{{ 'dashboard.feed.empty' | translate }}</li>
      }
    </ol>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccessFeed {
  private readonly language = inject(LanguageService);
  readonly entries = input.required<readonly FeedEntry[]>();
  /** The names the dashboard knows, by id ('' when unknown). */
  readonly machineName = input<(id: number) => string>(() => '');
  readonly memberName = input<(id: number) => string>(() => '');

  protected time(iso: string): string {
    return formatTime(iso, this.language.current());
  }

  protected duration(session: SessionMessage): string {
    return session.endedAt ? formatElapsed(Date.parse(session.endedAt) - Date.parse(session.startedAt)) : '';
  }
}
