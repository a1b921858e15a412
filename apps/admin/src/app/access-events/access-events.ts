import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ACCESS_REASONS, type AccessEventDto, type Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { LanguageService } from '../core/language';
import { injectListQuery, listQueryString } from '../core/list-query';
import { ListPager } from '../core/list-pager';
import { idOf } from '../core/entity-picker';
import { MachinePicker } from '../core/machine-picker';
import { MemberPicker } from '../core/member-picker';
import { formatDateTime, withDayRange } from '../usage/localised';

const FILTERS = ['machineId', 'memberId', 'cardUid', 'reason', 'granted', 'from', 'to'] as const;

/** Every card tap and board command with its decision, newest first. */
@Component({
  selector: 'app-access-events',
  imports: [TranslatePipe, ListPager, MachinePicker, MemberPicker],
  styleUrl: '../usage/list-page.css',
  template: `
    <main>
      <h1>{{ 'access-events.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="search($event)">
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
          <select (change)="filter('reason', $event)">
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
          <select (change)="filter('granted', $event)">
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

      <p class="exports">
        <a [href]="exportUrl('csv')" download>{{ 'activity.export-csv' | translate }}</a>
        <a [href]="exportUrl('xlsx')" download>{{ 'activity.export-xlsx' | translate }}</a>
      </p>

      @if (events.error(); as error) {
        <p class="error" role="alert">
          {{ 'activity.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="events.reload()">{{ 'activity.retry' | translate }}</button>
        </p>
      } @else if (page(); as page) {
        @if (page.items.length === 0) {
          <p role="status">{{ 'activity.empty' | translate }}</p>
        } @else {
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
                @for (event of page.items; track event.id) {
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
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
        <app-list-pager
          [page]="list.page()"
          [pageSize]="list.pageSize()"
          [total]="page.total"
          (pageChange)="list.update({ page: $event })"
          (pageSizeChange)="list.update({ pageSize: $event })"
        />
      } @else {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccessEvents {
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly reasons = ACCESS_REASONS;
  protected readonly errorKey = errorKey;
  protected readonly idOf = idOf;

  protected readonly events = httpResource<Page<AccessEventDto>>(() => ({
    url: '/api/access-events',
    params: withDayRange(this.list.query()),
  }));
  protected readonly page = computed(() => (this.events.hasValue() ? this.events.value() : undefined));

  protected search(event: Event): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (key: string) => {
      const value = data.get(key);
      return typeof value === 'string' ? value.trim() : null;
    };
    this.list.update({ cardUid: text('cardUid'), from: text('from'), to: text('to') });
  }

  protected filter(key: string, event: Event): void {
    this.list.update({ [key]: (event.target as HTMLSelectElement).value });
  }

  protected exportUrl(format: 'csv' | 'xlsx'): string {
    const filters = listQueryString(withDayRange(this.list.query()));
    return `/api/access-events/export?format=${format}${filters ? `&${filters}` : ''}`;
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
