import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { hasAccess, type MachineTypeDto, type Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { injectListQuery, listQueryString } from '../core/list-query';
import { ListPager } from '../core/list-pager';
import { ariaSort, exportUrl, sortMark } from '../core/list-columns';

/** Machine types: their board settings and access rule, with how many machines have each. */
@Component({
  selector: 'app-machine-types',
  imports: [RouterLink, TranslatePipe, ListPager],
  styleUrls: ['../core/list-page-base.css', '../machines/machines.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'machine-types.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/machine-types/new">{{ 'machine-types.new' | translate }}</a>
        }
      </div>
      <form class="filters" role="search" (submit)="search($event)">
        <label>
          {{ 'machine-types.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
      </form>
      <p class="exports">
        <a [href]="exportLink('csv')" download>{{ 'machines.export-csv' | translate }}</a>
        <a [href]="exportLink('xlsx')" download>{{ 'machines.export-xlsx' | translate }}</a>
      </p>

      @if (types.error(); as error) {
        <p class="error" role="alert">
          {{ 'machine-types.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="types.reload()">{{ 'machines.retry' | translate }}</button>
        </p>
      } @else if (page(); as page) {
        @if (page.items.length === 0) {
          <p class="empty" role="status">{{ 'machine-types.empty' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'machine-types.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col" [attr.aria-sort]="sortOf('name')">
                    <button type="button" class="sort" (click)="list.sortBy('name')">
                      {{ 'machine-types.columns.name' | translate }}
                      <span aria-hidden="true">{{ mark('name') }}</span>
                    </button>
                  </th>
                  <th scope="col">{{ 'machine-types.columns.access' | translate }}</th>
                  <th scope="col">{{ 'machine-types.columns.auto-logoff' | translate }}</th>
                  <th scope="col">{{ 'machine-types.columns.grace' | translate }}</th>
                  <th scope="col">{{ 'machine-types.columns.machines' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (type of page.items; track type.id) {
                  <tr>
                    <td>
                      @if (canEdit()) {
                        <a [routerLink]="['/machine-types', type.id]">{{ type.name }}</a>
                      } @else {
                        {{ type.name }}
                      }
                    </td>
                    <td>{{ 'machine-types.access.' + type.accessManagement | translate }}</td>
                    <td>{{ type.autoLogoffMinutes }}</td>
                    <td>{{ type.graceMinutes }}</td>
                    <td>
                      <a [routerLink]="['/machines']" [queryParams]="{ typeId: type.id }">{{
                        type.machineCount
                      }}</a>
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
        <p role="status">{{ 'machines.loading' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineTypes {
  private readonly auth = inject(Auth);
  protected readonly list = injectListQuery([]);
  protected readonly errorKey = errorKey;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly types = httpResource<Page<MachineTypeDto>>(() => ({
    url: '/api/machine-types',
    params: { ...this.list.query() },
  }));
  protected readonly page = computed(() => (this.types.hasValue() ? this.types.value() : undefined));

  protected search(event: Event): void {
    event.preventDefault();
    const q = new FormData(event.target as HTMLFormElement).get('q');
    this.list.update({ q: typeof q === 'string' ? q.trim() : null });
  }

  protected exportLink(format: 'csv' | 'xlsx'): string {
    return exportUrl('/api/machine-types', listQueryString(this.list.query()), format);
  }

  protected sortOf(column: string): 'ascending' | 'descending' | null {
    return ariaSort(this.list, column, 'name');
  }

  protected mark(column: string): string {
    return sortMark(this.sortOf(column));
  }
}
