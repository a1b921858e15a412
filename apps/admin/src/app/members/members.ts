import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { hasAccess, MAX_PAGE_SIZE, type MemberDto, type Page, type RoleDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { SortableTable, SortHeader } from '../shared/sort-header';
import { injectListQuery } from '../shared/list-query';
import { RolesApi } from '../roles/roles-api';
import { MembersApi } from './members-api';
import { UnknownCards } from './unknown-cards';

const FILTERS = ['roleId', 'disabled', 'deleted'] as const;

/** The members list: search, filters, sorting and paging kept in the URL; exports of what is shown. */
@Component({
  selector: 'app-members',
  imports: [RouterLink, TranslatePipe, UnknownCards, ExportLinks, ListState, SortableTable, SortHeader],
  styleUrls: ['../shared/page.css', './members.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'members.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/members/new">{{ 'members.new' | translate }}</a>
        }
      </div>

      <form class="filters" role="search" (submit)="list.search($event)">
        <label>
          {{ 'members.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'members.search-submit' | translate }}</button>
        <label>
          {{ 'members.role' | translate }}
          <select (change)="list.filter('roleId', $event)">
            <option value="">{{ 'members.any' | translate }}</option>
            @for (role of roles(); track role.id) {
              <option [value]="role.id" [selected]="list.query()['roleId'] === '' + role.id">
                {{ role.name }}
              </option>
            }
          </select>
        </label>
        <label>
          {{ 'members.disabled' | translate }}
          <select (change)="list.filter('disabled', $event)">
            <option value="">{{ 'members.any' | translate }}</option>
            <option value="true" [selected]="list.query()['disabled'] === 'true'">
              {{ 'members.yes' | translate }}
            </option>
            <option value="false" [selected]="list.query()['disabled'] === 'false'">
              {{ 'members.no' | translate }}
            </option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            [checked]="list.query()['deleted'] === 'true'"
            (change)="toggleDeleted($event)"
          />
          {{ 'members.show-deleted' | translate }}
        </label>
      </form>

      @if (canEdit()) {
        <p
          class="exports"
          appExportLinks="/api/members"
          [query]="list.query()"
          csv="members.export-csv"
          xlsx="members.export-xlsx"
        >
          <a routerLink="/members/import">{{ 'members.import.link' | translate }}</a>
        </p>
      }

      <app-list-state
        [resource]="members"
        [list]="list"
        loadError="members.load-error"
        pageOf="members.page-of"
        empty="members.none"
        emptySearch="members.empty"
      >
        <div class="table">
          <table [appSortable]="list" sortDefault="name">
            <caption class="visually-hidden">
              {{
                'members.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                @for (column of sortable; track column) {
                  <th scope="col" [appSortHeader]="column">
                    {{ 'members.columns.' + column | translate }}
                  </th>
                }
                <th scope="col">{{ 'members.columns.card' | translate }}</th>
                <th scope="col">{{ 'members.columns.role' | translate }}</th>
                <th scope="col">{{ 'members.columns.state' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (member of page()?.items; track member.id) {
                <tr>
                  <td>
                    @if (canEdit() && !member.erased) {
                      <a [routerLink]="['/members', member.id]">{{ member.name }}</a>
                    } @else {
                      {{ member.name }}
                    }
                  </td>
                  <td>{{ member.surname }}</td>
                  <td>{{ member.email }}</td>
                  <td>{{ date(member.createdAt) }}</td>
                  <td class="mono">{{ member.cardUid }}</td>
                  <td>{{ member.roleName }}</td>
                  <td>
                    @if (member.erased) {
                      {{ 'members.state.erased' | translate }}
                    } @else if (member.deleted) {
                      {{ 'members.state.deleted' | translate }}
                    } @else if (member.disabled) {
                      {{ 'members.state.disabled' | translate }}
                    } @else {
                      {{ 'members.state.active' | translate }}
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </app-list-state>

      <app-unknown-cards [canEdit]="canEdit()" />
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Members {
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly sortable = ['name', 'surname', 'email', 'createdAt'] as const;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));

  private readonly api = inject(MembersApi);
  private readonly rolesApi = inject(RolesApi);
  protected readonly members = httpResource<Page<MemberDto>>(() => this.api.listRequest(this.list.query()));
  private readonly roleList = httpResource<Page<RoleDto>>(() =>
    this.rolesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly roles = computed(() => this.roleList.value()?.items ?? []);
  /** The last page loaded: kept while the next one loads, so the table does not blink. */
  protected readonly page = computed(() => (this.members.hasValue() ? this.members.value() : undefined));

  protected toggleDeleted(event: Event): void {
    this.list.update({ deleted: (event.target as HTMLInputElement).checked ? 'true' : null });
  }

  protected date(iso: string): string {
    return new Intl.DateTimeFormat(this.language.current(), { dateStyle: 'medium' }).format(new Date(iso));
  }
}
