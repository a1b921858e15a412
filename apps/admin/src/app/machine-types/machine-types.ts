import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { hasAccess, type MachineTypeDto, type Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { SortableTable, SortHeader } from '../shared/sort-header';
import { injectListQuery } from '../shared/list-query';
import { MachineTypesApi } from './machine-types-api';

/** Machine types: their board settings and access rule, with how many machines have each. */
@Component({
  selector: 'app-machine-types',
  imports: [RouterLink, TranslatePipe, ExportLinks, ListState, SortableTable, SortHeader],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'machine-types.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/machine-types/new">{{ 'machine-types.new' | translate }}</a>
        }
      </div>
      <form class="filters" role="search" (submit)="list.search($event)">
        <label>
          {{ 'machine-types.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
      </form>
      <p
        class="exports"
        appExportLinks="/api/machine-types"
        [query]="list.query()"
        csv="machines.export-csv"
        xlsx="machines.export-xlsx"
      ></p>

      <app-list-state
        [resource]="types"
        [list]="list"
        loadError="machine-types.load-error"
        empty="machine-types.none"
        emptySearch="machine-types.empty"
      >
        <div class="table">
          <table [appSortable]="list" sortDefault="name">
            <caption class="visually-hidden">
              {{
                'machine-types.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col" appSortHeader="name">
                  {{ 'machine-types.columns.name' | translate }}
                </th>
                <th scope="col">{{ 'machine-types.columns.access' | translate }}</th>
                <th scope="col">{{ 'machine-types.columns.auto-logoff' | translate }}</th>
                <th scope="col">{{ 'machine-types.columns.grace' | translate }}</th>
                <th scope="col">{{ 'machine-types.columns.machines' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (type of page()?.items; track type.id) {
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
      </app-list-state>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineTypes {
  private readonly api = inject(MachineTypesApi);
  private readonly auth = inject(Auth);
  protected readonly list = injectListQuery([]);
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly types = httpResource<Page<MachineTypeDto>>(() =>
    this.api.listRequest(this.list.query()),
  );
  protected readonly page = computed(() => (this.types.hasValue() ? this.types.value() : undefined));
}
