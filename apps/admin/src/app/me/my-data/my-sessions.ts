import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { MyAuthorizationsDto, MySessionPage } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../../core/language';
import { ExportLinks } from '../../shared/export-links';
import { injectListQuery } from '../../shared/list-query';
import { ListState } from '../../shared/list-state';
import { formatDateTime, formatHours, withDayRange } from '../../shared/localised';
import { MY_SESSIONS_URL, MyDataApi } from './my-data-api';

const FILTERS = ['machineId', 'from', 'to'] as const;

/** `/me/sessions`: the member's own machine sessions, filtered, with their total hours and exports. */
@Component({
  selector: 'app-my-sessions',
  imports: [TranslatePipe, ExportLinks, ListState],
  styleUrls: ['../../shared/page.css', './my-data.css'],
  template: `
    <main>
      <h1>{{ 'my-data.sessions.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="list.search($event, ['from', 'to'])">
        <label>
          {{ 'activity.machine' | translate }}
          <select (change)="list.filter('machineId', $event)">
            <option value="">{{ 'activity.any' | translate }}</option>
            @for (m of machines(); track m.id) {
              <option [value]="m.id" [selected]="list.query()['machineId'] === '' + m.id">
                {{ m.name }}
              </option>
            }
          </select>
        </label>
        <label>
          {{ 'activity.from' | translate }}
          <input name="from" type="date" [value]="list.query()['from'] ?? ''" />
        </label>
        <label>
          {{ 'activity.to' | translate }}
          <input name="to" type="date" [value]="list.query()['to'] ?? ''" />
        </label>
        <button type="submit">{{ 'my-data.sessions.apply' | translate }}</button>
      </form>

      @if (page(); as p) {
        <p class="total" role="status">
          {{
            'my-data.sessions.total' | translate: { hours: hours(p.totalSeconds), sessions: p.totalSessions }
          }}
        </p>
      }

      <p
        class="exports"
        [appExportLinks]="exportBase"
        [query]="apiQuery()"
        csv="activity.export-csv"
        xlsx="activity.export-xlsx"
      ></p>

      <app-list-state
        [resource]="sessions"
        [list]="list"
        loadError="my-data.load-error"
        empty="my-data.sessions.none"
      >
        <ul class="cards" [attr.aria-label]="'my-data.sessions.title' | translate">
          @for (s of page()?.items; track s.id) {
            <li>
              <h3>{{ s.machineName }}</h3>
              <p class="meta">{{ dateTime(s.startedAt) }}</p>
              <p>
                @if (s.open) {
                  <strong>{{ 'my-data.sessions.running' | translate }}</strong>
                } @else {
                  {{ 'my-data.sessions.hours' | translate: { hours: hours(s.durationSeconds) } }}
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
export class MySessions {
  private readonly api = inject(MyDataApi);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly exportBase = MY_SESSIONS_URL;
  /** The list query as the API takes it: whole days for `from` and `to`. */
  protected readonly apiQuery = computed(() => withDayRange(this.list.query()));
  protected readonly sessions = httpResource<MySessionPage>(() => this.api.sessionsRequest(this.apiQuery()));
  protected readonly page = computed(() => (this.sessions.hasValue() ? this.sessions.value() : undefined));

  /** The machines the member may have used: authorized, open, or not (yet). */
  private readonly standing = httpResource<MyAuthorizationsDto>(() => this.api.authorizationsRequest());
  protected readonly machines = computed(() => {
    if (!this.standing.hasValue()) return [];
    const s = this.standing.value();
    const byId = new Map<number, string>();
    for (const a of s.authorizations) byId.set(a.machineId, a.machineName);
    for (const m of [...s.open, ...s.notAuthorized]) byId.set(m.machineId, m.machineName);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  });

  protected dateTime(iso: string | null): string {
    return formatDateTime(iso, this.language.current());
  }

  protected hours(seconds: number | null): string {
    return formatHours(seconds, this.language.current());
  }
}
