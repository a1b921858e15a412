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
import { Auth } from '../core/auth';
import { HoursPipe } from '../core/hours';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { SortableTable, SortHeader } from '../shared/sort-header';
import { injectListQuery } from '../shared/list-query';
import { formatDateTime } from '../shared/time-format';
import { MaintenanceApi } from './maintenance-api';
import { MachinesApi } from '../machines/machines-api';

/** Maintenance plans, per machine, with hours since the last intervention and whether one is due. */
@Component({
  selector: 'app-maintenance-plans',
  imports: [RouterLink, TranslatePipe, ExportLinks, ListState, SortableTable, SortHeader, HoursPipe],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
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
      <form class="filters" role="search" (submit)="list.search($event)">
        <label>
          {{ 'maintenance.plans.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
        <label>
          {{ 'maintenance.machine' | translate }}
          <select (change)="list.filter('machineId', $event)">
            <option value="">{{ 'machines.any' | translate }}</option>
            @for (machine of machines(); track machine.id) {
              <option [value]="machine.id" [selected]="list.query()['machineId'] === '' + machine.id">
                {{ machine.name }}
              </option>
            }
          </select>
        </label>
      </form>
      <p
        class="exports"
        appExportLinks="/api/maintenance-plans"
        [query]="list.query()"
        csv="machines.export-csv"
        xlsx="machines.export-xlsx"
      ></p>

      <app-list-state
        [resource]="plans"
        [list]="list"
        loadError="maintenance.plans.load-error"
        empty="maintenance.plans.none"
        emptySearch="maintenance.plans.empty"
      >
        <div class="table">
          <table [appSortable]="list" sortDefault="id">
            <caption class="visually-hidden">
              {{
                'maintenance.plans.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                @for (column of sortable; track column) {
                  <th scope="col" [appSortHeader]="column">
                    {{ 'maintenance.plans.columns.' + column | translate }}
                  </th>
                }
                <th scope="col">{{ 'maintenance.plans.columns.hoursSince' | translate }}</th>
                <th scope="col">{{ 'maintenance.plans.columns.last' | translate }}</th>
                <th scope="col">{{ 'maintenance.plans.columns.due' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (plan of page()?.items; track plan.id) {
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
                  <td>{{ plan.hoursBetween | hours }} h</td>
                  <td>{{ plan.hoursSince | hours }} h</td>
                  <td>
                    {{
                      plan.lastInterventionAt ? when(plan.lastInterventionAt) : ('machines.never' | translate)
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
      </app-list-state>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MaintenancePlans {
  private readonly api = inject(MaintenanceApi);
  private readonly machinesApi = inject(MachinesApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(['machineId']);
  protected readonly sortable = ['machineId', 'description', 'hoursBetween'] as const;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly plans = httpResource<Page<MaintenancePlanDto>>(() =>
    this.api.plansRequest(this.list.query()),
  );
  protected readonly page = computed(() => (this.plans.hasValue() ? this.plans.value() : undefined));
  private readonly machineList = httpResource<Page<MachineDto>>(() =>
    this.machinesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly machines = computed(() => this.machineList.value()?.items ?? []);
  protected readonly machineParams = computed(() => {
    const machineId = this.list.query()['machineId'];
    return machineId ? { machineId } : {};
  });

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
