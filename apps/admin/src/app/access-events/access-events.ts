import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ACCESS_REASONS, type AccessEventDto, type Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { injectListQuery } from '../shared/list-query';
import { idOf } from '../shared/entity-picker';
import { MachinePicker } from '../shared/machine-picker';
import { MemberPicker } from '../shared/member-picker';
import { formatDateTime, withDayRange } from '../shared/localised';
import { AccessEventsApi } from './access-events-api';

const FILTERS = ['machineId', 'memberId', 'cardUid', 'reason', 'granted', 'from', 'to'] as const;

/** Every card tap and board command with its decision, newest first. */
@Component({
  selector: 'app-access-events',
  imports: [TranslatePipe, MachinePicker, MemberPicker, ExportLinks, ListState],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'access-events.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="list.search($event, ['cardUid', 'from', 'to'])">
        <label>
          {{ 'access-events.card' | translate }}
          <input name="cardUid" class="mono" [value]="list.query()['cardUid'] ?? ''" spellcheck="false" />
        </label>
        <label>
          {{ 'activity.from' | translate }}
          <input name="from" type="date" [value]="list.query()['from'] ?? ''" />
        </label>
        <label>
          {{ 'activity.to' | translate }}
          <input name="to" type="date" [value]="list.query()['to'] ?? ''" />
        </label>
        <button type="submit">{{ 'activity.search-submit' | translate }}</button>
        <app-machine-picker
          [label]="'activity.machine' | translate"
          [placeholder]="'activity.any' | translate"
          [value]="idOf(list.query()['machineId'])"
          (valueChange)="list.update({ machineId: $event })"
        />
        <app-member-picker
          [label]="'activity.member' | translate"
          [placeholder]="'activity.any' | translate"
          [value]="idOf(list.query()['memberId'])"
          (valueChange)="list.update({ memberId: $event })"
        />
        <label>
          {{ 'access-events.reason' | translate }}
          <select (change)="list.filter('reason', $event)">
            <option value="">{{ 'activity.any' | translate }}</option>
            @for (reason of reasons; track reason) {
              <option [value]="reason" [selected]="list.query()['reason'] === reason">
                {{ 'access-reasons.' + reason | translate }}
              </option>
            }
          </select>
        </label>
        <label>
          {{ 'access-events.granted' | translate }}
          <select (change)="list.filter('granted', $event)">
            <option value="">{{ 'activity.any' | translate }}</option>
            <option value="true" [selected]="list.query()['granted'] === 'true'">
              {{ 'activity.yes' | translate }}
            </option>
            <option value="false" [selected]="list.query()['granted'] === 'false'">
              {{ 'activity.no' | translate }}
            </option>
          </select>
        </label>
      </form>

      <p
        class="exports"
        appExportLinks="/api/access-events"
        [query]="apiQuery()"
        csv="activity.export-csv"
        xlsx="activity.export-xlsx"
      ></p>

      <app-list-state
        [resource]="events"
        [list]="list"
        loadError="activity.load-error"
        empty="access-events.none"
      >
        <div class="table">
          <table>
            <caption class="visually-hidden">
              {{
                'access-events.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'access-events.time' | translate }}</th>
                <th scope="col">{{ 'activity.machine' | translate }}</th>
                <th scope="col">{{ 'activity.member' | translate }}</th>
                <th scope="col">{{ 'access-events.card' | translate }}</th>
                <th scope="col">{{ 'access-events.action' | translate }}</th>
                <th scope="col">{{ 'access-events.reason' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (event of page()?.items; track event.id) {
                <tr>
                  <td>{{ dateTime(event.occurredAt) }}</td>
                  <td>{{ event.machineName ?? event.topicId }}</td>
                  <td>
                    {{ event.memberName }}
                    @if (event.actorName) {
                      ({{ 'access-events.by' | translate: { name: event.actorName } }})
                    }
                  </td>
                  <td class="mono">{{ event.cardUid }}</td>
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
      </app-list-state>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccessEvents {
  private readonly api = inject(AccessEventsApi);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  /** The list query as the API takes it: whole days for `from` and `to`. */
  protected readonly apiQuery = computed(() => withDayRange(this.list.query()));
  protected readonly reasons = ACCESS_REASONS;
  protected readonly idOf = idOf;

  protected readonly events = httpResource<Page<AccessEventDto>>(() => this.api.listRequest(this.apiQuery()));
  protected readonly page = computed(() => (this.events.hasValue() ? this.events.value() : undefined));

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
