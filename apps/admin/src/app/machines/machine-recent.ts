import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AccessEventDto, Page, UsageSessionDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { AccessEventsApi } from '../access-events/access-events-api';
import { formatHours } from '../core/hours';
import { LanguageService } from '../core/language';
import { formatDateTime } from '../shared/time-format';
import { UsageApi } from '../usage/usage-api';

/** How many recent sessions and access events the machine page shows. */
export const RECENT_ROWS = 10;

/**
 * A machine's recent sessions and access events, newest first, with links to the full lists
 * filtered to it: the machine page answers "who used it lately, who was turned away".
 */
@Component({
  selector: 'app-machine-recent',
  imports: [RouterLink, TranslatePipe],
  styleUrls: ['../shared/page.css'],
  template: `
    <section aria-labelledby="recent-sessions-title">
      <h2 id="recent-sessions-title">{{ 'machines.recent.sessions' | translate }}</h2>
      @if (sessions.error()) {
        <p class="error" role="alert">{{ 'activity.load-error' | translate }}</p>
      } @else if (sessions.hasValue()) {
        @let list = sessions.value().items;
        @if (list.length === 0) {
          <p>{{ 'machines.recent.no-sessions' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'machines.recent.sessions' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'activity.member' | translate }}</th>
                  <th scope="col">{{ 'usage.columns.startedAt' | translate }}</th>
                  <th scope="col">{{ 'usage.columns.endedAt' | translate }}</th>
                  <th scope="col" class="num">{{ 'usage.columns.hours' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (session of list; track session.id) {
                  <tr>
                    <td>{{ session.memberName }}</td>
                    <td>{{ when(session.startedAt) }}</td>
                    <td>
                      @if (session.open) {
                        <strong>{{ 'usage.running' | translate }}</strong>
                      } @else {
                        {{ when(session.endedAt) }}
                      }
                    </td>
                    <td class="num">{{ hours(session.durationSeconds) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      } @else {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }
      <p>
        <a routerLink="/usage" [queryParams]="{ machineId: machineId() }">{{
          'machines.recent.all-sessions' | translate
        }}</a>
      </p>
    </section>

    <section aria-labelledby="recent-events-title">
      <h2 id="recent-events-title">{{ 'machines.recent.events' | translate }}</h2>
      @if (events.error()) {
        <p class="error" role="alert">{{ 'activity.load-error' | translate }}</p>
      } @else if (events.hasValue()) {
        @let list = events.value().items;
        @if (list.length === 0) {
          <p>{{ 'machines.recent.no-events' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'machines.recent.events' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'access-events.time' | translate }}</th>
                  <th scope="col">{{ 'activity.member' | translate }}</th>
                  <th scope="col">{{ 'access-events.action' | translate }}</th>
                  <th scope="col">{{ 'access-events.reason' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (event of list; track event.id) {
                  <tr>
                    <td>{{ when(event.occurredAt) }}</td>
                    <td>
                      {{ event.memberName ?? event.cardUid }}
                      @if (event.actorName) {
                        ({{ 'access-events.by' | translate: { name: event.actorName } }})
                      }
                    </td>
                    <td>{{ 'access-actions.' + event.action | translate }}</td>
                    <td [class.error]="!event.granted">
                      <span aria-hidden="true">{{ event.granted ? '✓' : '✗' }}</span>
                      {{ 'access-reasons.' + event.reason | translate }}
                      @if (event.count > 1) {
                        {{ 'activity.times' | translate: { count: event.count } }}
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      } @else {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }
      <p>
        <a routerLink="/access-events" [queryParams]="{ machineId: machineId() }">{{
          'machines.recent.all-events' | translate
        }}</a>
      </p>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineRecent {
  private readonly language = inject(LanguageService);
  private readonly usageApi = inject(UsageApi);
  private readonly eventsApi = inject(AccessEventsApi);
  readonly machineId = input.required<number>();

  protected readonly sessions = httpResource<Page<UsageSessionDto>>(() =>
    this.usageApi.listRequest({ machineId: String(this.machineId()), pageSize: String(RECENT_ROWS) }),
  );
  protected readonly events = httpResource<Page<AccessEventDto>>(() =>
    this.eventsApi.listRequest({ machineId: String(this.machineId()), pageSize: String(RECENT_ROWS) }),
  );

  protected when(iso: string | null): string {
    return iso ? formatDateTime(iso, this.language.current()) : '';
  }

  protected hours(seconds: number | null): string {
    return seconds === null ? '' : formatHours(seconds / 3600, this.language.current());
  }
}
