import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_PAGE_SIZE,
  type InterventionDto,
  type MachineDto,
  type Page,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { injectListQuery } from '../shared/list-query';
import { formatDateTime } from '../shared/time-format';
import { MaintenanceApi } from './maintenance-api';
import { MachinesApi } from '../machines/machines-api';

const FILTERS = ['machineId', 'from', 'to'] as const;

/** Interventions, newest first: by machine and date range; manual entries for managers. */
@Component({
  selector: 'app-interventions',
  imports: [RouterLink, TranslatePipe, ExportLinks, ListState],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'maintenance.interventions.title' | translate }}</h1>
        <a routerLink="/maintenance" [queryParams]="machineParams()">{{
          'maintenance.plans.title' | translate
        }}</a>
        @if (canEdit()) {
          <a class="button" routerLink="/maintenance/interventions/new" [queryParams]="machineParams()">{{
            'maintenance.interventions.new' | translate
          }}</a>
        }
      </div>
      <form class="filters" [attr.aria-label]="'maintenance.interventions.filters' | translate">
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
        <label>
          {{ 'maintenance.interventions.from' | translate }}
          <input type="date" [value]="list.query()['from'] ?? ''" (change)="list.filter('from', $event)" />
        </label>
        <label>
          {{ 'maintenance.interventions.to' | translate }}
          <input type="date" [value]="list.query()['to'] ?? ''" (change)="list.filter('to', $event)" />
        </label>
      </form>
      <p
        class="exports"
        appExportLinks="/api/interventions"
        [query]="list.query()"
        csv="machines.export-csv"
        xlsx="machines.export-xlsx"
      ></p>

      <app-list-state
        [resource]="interventions"
        [list]="list"
        loadError="maintenance.interventions.load-error"
        empty="maintenance.interventions.none"
        emptySearch="maintenance.interventions.empty"
      >
        <div class="table">
          <table>
            <caption class="visually-hidden">
              {{
                'maintenance.interventions.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'maintenance.interventions.columns.performedAt' | translate }}</th>
                <th scope="col">{{ 'maintenance.machine' | translate }}</th>
                <th scope="col">{{ 'maintenance.interventions.columns.plan' | translate }}</th>
                <th scope="col">{{ 'maintenance.interventions.columns.member' | translate }}</th>
                <th scope="col">{{ 'maintenance.interventions.columns.source' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (intervention of page()?.items; track intervention.id) {
                <tr>
                  <td>{{ when(intervention.performedAt) }}</td>
                  <td>
                    <a [routerLink]="['/machines', intervention.machineId]">{{ intervention.machineName }}</a>
                  </td>
                  <td>
                    {{ intervention.planDescription ?? ('maintenance.interventions.no-plan' | translate) }}
                  </td>
                  <td>{{ intervention.memberName ?? '—' }}</td>
                  <td>{{ 'maintenance.interventions.sources.' + intervention.source | translate }}</td>
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
export class Interventions {
  private readonly api = inject(MaintenanceApi);
  private readonly machinesApi = inject(MachinesApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly interventions = httpResource<Page<InterventionDto>>(() =>
    this.api.interventionsRequest(this.list.query()),
  );
  protected readonly page = computed(() =>
    this.interventions.hasValue() ? this.interventions.value() : undefined,
  );
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
