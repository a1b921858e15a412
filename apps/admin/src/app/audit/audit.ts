import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { AuditEntryDto, Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { LanguageService } from '../core/language';
import { injectListQuery, listQueryString } from '../core/list-query';
import { ListPager } from '../core/list-pager';
import { idOf } from '../core/entity-picker';
import { MemberPicker } from '../core/member-picker';
import { formatDateTime, withDayRange } from '../usage/localised';
import { auditChanges } from './audit-changes';

const FILTERS = ['entityType', 'entityId', 'actor', 'from', 'to'] as const;

/** The append-only audit log (admin): who changed what, with the values before and after. */
@Component({
  selector: 'app-audit',
  imports: [TranslatePipe, ListPager, MemberPicker],
  styleUrl: '../usage/list-page.css',
  template: `
    <main>
      <h1>{{ 'audit.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="search($event)">
        <label>
          {{ 'activity.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <label>
          {{ 'audit.entity-type' | translate }}
          <input name="entityType" [value]="list.query()['entityType'] ?? ''" />
        </label>
        <label>
          {{ 'audit.entity-id' | translate }}
          <input name="entityId" [value]="list.query()['entityId'] ?? ''" />
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
        <app-member-picker
          [label]="'audit.actor' | translate"
          [placeholder]="'activity.any' | translate"
          [value]="idOf(list.query()['actor'])"
          (valueChange)="list.update({ actor: $event })"
        />
      </form>

      <p class="exports">
        <a [href]="exportUrl('csv')" download>{{ 'activity.export-csv' | translate }}</a>
        <a [href]="exportUrl('xlsx')" download>{{ 'activity.export-xlsx' | translate }}</a>
      </p>

      @if (entries.error(); as error) {
        <p class="error" role="alert">
          {{ 'activity.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="entries.reload()">{{ 'activity.retry' | translate }}</button>
        </p>
      } @else if (page(); as page) {
        @if (page.items.length === 0) {
          <p role="status">{{ 'activity.empty' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'audit.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'audit.time' | translate }}</th>
                  <th scope="col">{{ 'audit.actor' | translate }}</th>
                  <th scope="col">{{ 'audit.action' | translate }}</th>
                  <th scope="col">{{ 'audit.entity' | translate }}</th>
                  <th scope="col">{{ 'audit.changes' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (entry of page.items; track entry.id) {
                  <tr>
                    <td>{{ dateTime(entry.occurredAt) }}</td>
                    <td>{{ entry.actorLabel }}</td>
                    <td>{{ entry.action }}</td>
                    <td>{{ entry.entityType }} {{ entry.entityId }}</td>
                    <td>
                      <dl class="changes">
                        @for (change of changes(entry); track change.field) {
                          <dt>{{ change.field }}</dt>
                          <dd>
                            @if (change.before !== null) {
                              <del [attr.aria-label]="'audit.before' | translate">{{ change.before }}</del>
                            }
                            @if (change.before !== null && change.after !== null) {
                              <span aria-hidden="true"> → </span>
                            }
                            @if (change.after !== null) {
                              <ins [attr.aria-label]="'audit.after' | translate">{{ change.after }}</ins>
                            }
                          </dd>
                        }
                      </dl>
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
  styles: `
    .changes {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.1rem 0.5rem;
      margin: 0;
    }
    dt {
      font-weight: bold;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Audit {
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly errorKey = errorKey;
  protected readonly idOf = idOf;
  protected readonly changes = auditChanges;

  protected readonly entries = httpResource<Page<AuditEntryDto>>(() => ({
    url: '/api/audit',
    params: withDayRange(this.list.query()),
  }));
  protected readonly page = computed(() => (this.entries.hasValue() ? this.entries.value() : undefined));

  protected search(event: Event): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (key: string) => {
      const value = data.get(key);
      return typeof value === 'string' ? value.trim() : null;
    };
    this.list.update({
      q: text('q'),
      entityType: text('entityType'),
      entityId: text('entityId'),
      from: text('from'),
      to: text('to'),
    });
  }

  protected exportUrl(format: 'csv' | 'xlsx'): string {
    const filters = listQueryString(withDayRange(this.list.query()));
    return `/api/audit/export?format=${format}${filters ? `&${filters}` : ''}`;
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
