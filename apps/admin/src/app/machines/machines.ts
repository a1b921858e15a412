import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_PAGE_SIZE,
  type MachineDto,
  type MachineTypeDto,
  type Page,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { injectListQuery, listQueryString } from '../core/list-query';
import { formatDateTime } from '../dashboard/time-format';
import { ListPager } from '../core/list-pager';
import { ariaSort, exportUrl, sortMark } from '../core/list-columns';

const FILTERS = ['typeId', 'blocked'] as const;

/** The machines list: search, type and blocked filters, sorting and paging in the URL; exports. */
@Component({
  selector: 'app-machines',
  imports: [RouterLink, TranslatePipe, ListPager],
  styleUrls: ['../core/list-page-base.css', './machines.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'machines.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/machines/new">{{ 'machines.new' | translate }}</a>
        }
      </div>

      <form class="filters" role="search" (submit)="search($event)">
        <label>
          {{ 'machines.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
        <label>
          {{ 'machines.type' | translate }}
          <select (change)="filter('typeId', $event)">
            <option value="">{{ 'machines.any' | translate }}</option>
            @for (type of types(); track type.id) {
              <option [value]="type.id" [selected]="list.query()['typeId'] === '' + type.id">
                {{ type.name }}
              </option>
            }
          </select>
        </label>
        <label>
          {{ 'machines.blocked' | translate }}
          <select (change)="filter('blocked', $event)">
            <option value="">{{ 'machines.any' | translate }}</option>
            <option value="true" [selected]="list.query()['blocked'] === 'true'">
              {{ 'machines.yes' | translate }}
            </option>
            <option value="false" [selected]="list.query()['blocked'] === 'false'">
              {{ 'machines.no' | translate }}
            </option>
          </select>
        </label>
      </form>

      <p class="exports">
        <a [href]="exportLink('csv')" download>{{ 'machines.export-csv' | translate }}</a>
        <a [href]="exportLink('xlsx')" download>{{ 'machines.export-xlsx' | translate }}</a>
      </p>

      @if (machines.error(); as error) {
        <p class="error" role="alert">
          {{ 'machines.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="machines.reload()">{{ 'machines.retry' | translate }}</button>
        </p>
      } @else if (page(); as page) {
        @if (page.items.length === 0) {
          <p class="empty" role="status">{{ 'machines.empty' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'machines.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  @for (column of sortable; track column) {
                    <th scope="col" [attr.aria-sort]="sortOf(column)">
                      <button type="button" class="sort" (click)="list.sortBy(column)">
                        {{ 'machines.columns.' + column | translate }}
                        <span aria-hidden="true">{{ mark(column) }}</span>
                      </button>
                    </th>
                  }
                  <th scope="col">{{ 'machines.columns.type' | translate }}</th>
                  <th scope="col">{{ 'machines.columns.state' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (machine of page.items; track machine.id) {
                  <tr>
                    <td>
                      <a [routerLink]="['/machines', machine.id]">{{ machine.name }}</a>
                    </td>
                    <td class="mono">{{ machine.topicId }}</td>
                    <td>{{ hours(machine.usageHours) }}</td>
                    <td>
                      {{ machine.lastSeenAt ? when(machine.lastSeenAt) : ('machines.never' | translate) }}
                    </td>
                    <td>{{ machine.typeName ?? ('machines.no-type' | translate) }}</td>
                    <td>{{ (machine.blocked ? 'status.blocked' : 'machines.usable') | translate }}</td>
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
        <p role="status">{{ 'machines.loading' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Machines {
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly sortable = ['name', 'topicId', 'usageHours', 'lastSeenAt'] as const;
  protected readonly errorKey = errorKey;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));

  protected readonly machines = httpResource<Page<MachineDto>>(() => ({
    url: '/api/machines',
    params: { ...this.list.query() },
  }));
  private readonly typeList = httpResource<Page<MachineTypeDto>>(() => ({
    url: '/api/machine-types',
    params: { pageSize: MAX_PAGE_SIZE },
  }));
  protected readonly types = computed(() => this.typeList.value()?.items ?? []);
  /** The last page loaded: kept while the next one loads, so the table does not blink. */
  protected readonly page = computed(() => (this.machines.hasValue() ? this.machines.value() : undefined));

  protected search(event: Event): void {
    event.preventDefault();
    const q = new FormData(event.target as HTMLFormElement).get('q');
    this.list.update({ q: typeof q === 'string' ? q.trim() : null });
  }

  protected filter(key: string, event: Event): void {
    this.list.update({ [key]: (event.target as HTMLSelectElement).value });
  }

  protected exportLink(format: 'csv' | 'xlsx'): string {
    return exportUrl('/api/machines', listQueryString(this.list.query()), format);
  }

  protected sortOf(column: string): 'ascending' | 'descending' | null {
    return ariaSort(this.list, column, 'name');
  }

  protected mark(column: string): string {
    return sortMark(this.sortOf(column));
  }

  protected hours(value: number): string {
    return new Intl.NumberFormat(this.language.current(), { maximumFractionDigits: 1 }).format(value);
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
