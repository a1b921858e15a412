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
import { Auth } from '../core/auth';
import { formatHours } from '../core/hours';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { injectListQuery } from '../shared/list-query';
import { ListState } from '../shared/list-state';
import { SortableTable, SortHeader } from '../shared/sort-header';
import { formatDateTime } from '../shared/time-format';
import { MachinesApi } from './machines-api';
import { MachineTypesApi } from '../machine-types/machine-types-api';

const FILTERS = ['typeId', 'blocked', 'retired'] as const;

/**
 * The machines list: search, type, blocked and retired filters (retired machines only on request),
 * sorting and paging in the URL; exports.
 */
@Component({
  selector: 'app-machines',
  imports: [RouterLink, TranslatePipe, ExportLinks, ListState, SortableTable, SortHeader],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'machines.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/machines/new">{{ 'machines.new' | translate }}</a>
        }
      </div>

      <form class="filters" role="search" (submit)="list.search($event)">
        <label>
          {{ 'machines.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
        <label>
          {{ 'machines.type' | translate }}
          <select (change)="list.filter('typeId', $event)">
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
          <select (change)="list.filter('blocked', $event)">
            <option value="">{{ 'machines.any' | translate }}</option>
            <option value="true" [selected]="list.query()['blocked'] === 'true'">
              {{ 'machines.yes' | translate }}
            </option>
            <option value="false" [selected]="list.query()['blocked'] === 'false'">
              {{ 'machines.no' | translate }}
            </option>
          </select>
        </label>
        <label>
          {{ 'machines.service' | translate }}
          <select (change)="list.filter('retired', $event)">
            <option value="">{{ 'machines.in-service' | translate }}</option>
            <option value="true" [selected]="list.query()['retired'] === 'true'">
              {{ 'machines.retired-only' | translate }}
            </option>
          </select>
        </label>
      </form>

      <p
        class="exports"
        appExportLinks="/api/machines"
        [query]="list.query()"
        csv="machines.export-csv"
        xlsx="machines.export-xlsx"
      ></p>

      <app-list-state
        [resource]="machines"
        [list]="list"
        loadError="machines.load-error"
        empty="machines.none"
        emptySearch="machines.empty"
      >
        <div class="table">
          <table [appSortable]="list" sortDefault="name">
            <caption class="visually-hidden">
              {{
                'machines.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                @for (column of sortable; track column) {
                  <th scope="col" [appSortHeader]="column">
                    {{ 'machines.columns.' + column | translate }}
                  </th>
                }
                <th scope="col">{{ 'machines.columns.type' | translate }}</th>
                <th scope="col">{{ 'machines.columns.state' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (machine of page()?.items; track machine.id) {
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
                  <td>
                    {{
                      (machine.retiredAt
                        ? 'machines.retired'
                        : machine.blocked
                          ? 'status.blocked'
                          : 'machines.usable'
                      ) | translate
                    }}
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
export class Machines {
  private readonly api = inject(MachinesApi);
  private readonly machineTypesApi = inject(MachineTypesApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly sortable = ['name', 'topicId', 'usageHours', 'lastSeenAt'] as const;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));

  protected readonly machines = httpResource<Page<MachineDto>>(() => this.api.listRequest(this.list.query()));
  private readonly typeList = httpResource<Page<MachineTypeDto>>(() =>
    this.machineTypesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly types = computed(() => this.typeList.value()?.items ?? []);
  /** The last page loaded: kept while the next one loads, so the table does not blink. */
  protected readonly page = computed(() => (this.machines.hasValue() ? this.machines.value() : undefined));

  protected hours(value: number): string {
    return formatHours(value, this.language.current());
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
