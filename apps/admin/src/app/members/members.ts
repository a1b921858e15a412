import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { hasAccess, MAX_PAGE_SIZE, type MemberDto, type Page, type RoleDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { injectListQuery, listQueryString } from '../core/list-query';
import { UnknownCards } from './unknown-cards';

const FILTERS = ['roleId', 'disabled', 'deleted'] as const;
const PAGE_SIZES = [10, 25, 50, 100] as const;

/** The members list: search, filters, sorting and paging kept in the URL; exports of what is shown. */
@Component({
  selector: 'app-members',
  imports: [RouterLink, TranslatePipe, UnknownCards],
  styleUrls: ['../core/list-page-base.css', './members.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'members.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/members/new">{{ 'members.new' | translate }}</a>
        }
      </div>

      <form class="filters" role="search" (submit)="search($event)">
        <label>
          {{ 'members.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'members.search-submit' | translate }}</button>
        <label>
          {{ 'members.role' | translate }}
          <select (change)="filter('roleId', $event)">
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
          <select (change)="filter('disabled', $event)">
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
        <p class="exports">
          <a [href]="exportUrl('csv')" download>{{ 'members.export-csv' | translate }}</a>
          <a [href]="exportUrl('xlsx')" download>{{ 'members.export-xlsx' | translate }}</a>
          <a routerLink="/members/import">{{ 'members.import.link' | translate }}</a>
        </p>
      }

      @if (members.error(); as error) {
        <p class="error" role="alert">
          {{ 'members.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="members.reload()">{{ 'members.retry' | translate }}</button>
        </p>
      } @else if (page(); as page) {
        @if (page.items.length === 0) {
          <p class="empty" role="status">{{ 'members.empty' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'members.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  @for (column of sortable; track column) {
                    <th scope="col" [attr.aria-sort]="ariaSort(column)">
                      <button type="button" class="sort" (click)="list.sortBy(column)">
                        {{ 'members.columns.' + column | translate }}
                        <span aria-hidden="true">{{ sortMark(column) }}</span>
                      </button>
                    </th>
                  }
                  <th scope="col">{{ 'members.columns.card' | translate }}</th>
                  <th scope="col">{{ 'members.columns.role' | translate }}</th>
                  <th scope="col">{{ 'members.columns.state' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (member of page.items; track member.id) {
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
        }
        <nav class="pager" [attr.aria-label]="'members.paging' | translate">
          <button type="button" [disabled]="list.page() <= 1" (click)="goTo(list.page() - 1)">
            {{ 'members.previous' | translate }}
          </button>
          <span>
            {{ 'members.page-of' | translate: { page: list.page(), pages: pages(), total: page.total } }}
          </span>
          <button type="button" [disabled]="list.page() >= pages()" (click)="goTo(list.page() + 1)">
            {{ 'members.next' | translate }}
          </button>
          <label>
            {{ 'members.page-size' | translate }}
            <select (change)="filter('pageSize', $event)">
              @for (size of pageSizes; track size) {
                <option [value]="size" [selected]="list.pageSize() === size">{{ size }}</option>
              }
            </select>
          </label>
        </nav>
      } @else {
        <p role="status">{{ 'members.loading' | translate }}</p>
      }

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
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly errorKey = errorKey;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));

  protected readonly members = httpResource<Page<MemberDto>>(() => ({
    url: '/api/members',
    params: { ...this.list.query() },
  }));
  private readonly roleList = httpResource<Page<RoleDto>>(() => ({
    url: '/api/roles',
    params: { pageSize: MAX_PAGE_SIZE },
  }));
  protected readonly roles = computed(() => this.roleList.value()?.items ?? []);
  /** The last page loaded: kept while the next one loads, so the table does not blink. */
  protected readonly page = computed(() => (this.members.hasValue() ? this.members.value() : undefined));
  protected readonly pages = computed(() => {
    const page = this.page();
    return page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  });

  protected search(event: Event): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const q = data.get('q');
    this.list.update({ q: typeof q === 'string' ? q.trim() : null });
  }

  protected filter(key: string, event: Event): void {
    this.list.update({ [key]: (event.target as HTMLSelectElement).value });
  }

  protected toggleDeleted(event: Event): void {
    this.list.update({ deleted: (event.target as HTMLInputElement).checked ? 'true' : null });
  }

  protected goTo(page: number): void {
    this.list.update({ page });
  }

  protected exportUrl(format: 'csv' | 'xlsx'): string {
    const filters = listQueryString(this.list.query());
    return `/api/members/export?format=${format}${filters ? `&${filters}` : ''}`;
  }

  protected ariaSort(column: string): 'ascending' | 'descending' | null {
    const query = this.list.query();
    if ((query['sort'] ?? 'name') !== column) return null;
    return query['order'] === 'desc' ? 'descending' : 'ascending';
  }

  protected sortMark(column: string): string {
    const sort = this.ariaSort(column);
    return sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : '';
  }

  protected date(iso: string): string {
    return new Intl.DateTimeFormat(this.language.current(), { dateStyle: 'medium' }).format(new Date(iso));
  }
}
