import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_PAGE_SIZE,
  type MachineDto,
  type MaintenancePlanDto,
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

/** Maintenance plans, per machine, with hours since the last intervention and whether one is due. */
@Component({
  selector: 'app-maintenance-plans',
  imports: [RouterLink, TranslatePipe, ListPager],
  styleUrls: ['../core/list-page-base.css', '../machines/machines.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'maintenance.plans.title' | translate }}</h1>
        <a routerLink="/maintenance/interventions" [queryParams]="machineParams()">{{
          'maintenance.interventions.title' | translate
        }}</a>
        @if (canEdit()) {
          <a class="button" routerLink="/maintenance/plans/new" [queryParams]="machineParams()">{{
            'maintenance.plans.new' | translate
          }}</a>
        }
      </div>
      <form class="filters" role="search" (submit)="search($event)">
        <label>
          {{ 'maintenance.plans.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
        <label>
          {{ 'maintenance.machine' | translate }}
          <select (change)="filter('machineId', $event)">
            <option value="">{{ 'machines.any' | translate }}</option>
            @for (machine of machines(); track machine.id) {
              <option [value]="machine.id" [selected]="list.query()['machineId'] === '' + machine.id">
                {{ machine.name }}
              </option>
            }
          </select>
        </label>
      </form>
      <p class="exports">
        <a [href]="exportLink('csv')" download>{{ 'machines.export-csv' | translate }}</a>
        <a [href]="exportLink('xlsx')" download>{{ 'machines.export-xlsx' | translate }}</a>
      </p>

      @if (plans.error(); as error) {
        <p class="error" role="alert">
          {{ 'maintenance.plans.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="plans.reload()">{{ 'machines.retry' | translate }}</button>
        </p>
      } @else if (page(); as page) {
        @if (page.items.length === 0) {
          <p class="empty" role="status">{{ 'maintenance.plans.empty' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'maintenance.plans.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  @for (column of sortable; track column) {
                    <th scope="col" [attr.aria-sort]="sortOf(column)">
                      <button type="button" class="sort" (click)="list.sortBy(column)">
                        {{ 'maintenance.plans.columns.' + column | translate }}
                        <span aria-hidden="true">{{ mark(column) }}</span>
                      </button>
                    </th>
                  }
                  <th scope="col">{{ 'maintenance.plans.columns.hoursSince' | translate }}</th>
                  <th scope="col">{{ 'maintenance.plans.columns.last' | translate }}</th>
                  <th scope="col">{{ 'maintenance.plans.columns.due' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (plan of page.items; track plan.id) {
                  <tr>
                    <td>
                      <a [routerLink]="['/machines', plan.machineId]">{{ plan.machineName }}</a>
                    </td>
                    <td>
                      @if (canEdit()) {
                        <a [routerLink]="['/maintenance/plans', plan.id]">{{ plan.description }}</a>
                      } @else {
                        {{ plan.description }}
                      }
                    </td>
                    <td>{{ number(plan.hoursBetween) }} h</td>
                    <td>{{ number(plan.hoursSince) }} h</td>
                    <td>
                      {{
                        plan.lastInterventionAt
                          ? when(plan.lastInterventionAt)
                          : ('machines.never' | translate)
                      }}
                    </td>
                    <td [class.due]="plan.due">
                      {{ (plan.due ? 'machines.detail.due-now' : 'machines.detail.not-due') | translate }}
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
export class MaintenancePlans {
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(['machineId']);
  protected readonly sortable = ['machineId', 'description', 'hoursBetween'] as const;
  protected readonly errorKey = errorKey;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly plans = httpResource<Page<MaintenancePlanDto>>(() => ({
    url: '/api/maintenance-plans',
    params: { ...this.list.query() },
  }));
  protected readonly page = computed(() => (this.plans.hasValue() ? this.plans.value() : undefined));
  private readonly machineList = httpResource<Page<MachineDto>>(() => ({
    url: '/api/machines',
    params: { pageSize: MAX_PAGE_SIZE },
  }));
  protected readonly machines = computed(() => this.machineList.value()?.items ?? []);
  protected readonly machineParams = computed(() => {
    const machineId = this.list.query()['machineId'];
    return machineId ? { machineId } : {};
  });

  protected search(event: Event): void {
    event.preventDefault();
    const q = new FormData(event.target as HTMLFormElement).get('q');
    this.list.update({ q: typeof q === 'string' ? q.trim() : null });
  }

  protected filter(key: string, event: Event): void {
    this.list.update({ [key]: (event.target as HTMLSelectElement).value });
  }

  protected exportLink(format: 'csv' | 'xlsx'): string {
    return exportUrl('/api/maintenance-plans', listQueryString(this.list.query()), format);
  }

  protected sortOf(column: string): 'ascending' | 'descending' | null {
    return ariaSort(this.list, column, 'id');
  }

  protected mark(column: string): string {
    return sortMark(this.sortOf(column));
  }

  protected number(value: number): string {
    return new Intl.NumberFormat(this.language.current(), { maximumFractionDigits: 1 }).format(value);
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
