import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AUDIT_ENTITY_TYPES, type AuditEntryDto, type Page } from '@fabomatic/contracts';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { injectListQuery } from '../shared/list-query';
import { idOf } from '../shared/entity-picker';
import { MemberPicker } from '../shared/member-picker';
import { formatDateTime, withDayRange } from '../shared/localised';
import { auditChanges } from './audit-changes';
import { AuditApi } from './audit-api';

const FILTERS = ['entityType', 'entityId', 'actor', 'from', 'to'] as const;
/** The text fields of the filter form. */
const SEARCH_FIELDS = ['q', 'entityId', 'from', 'to'] as const;

/** The append-only audit log (admin): who changed what, with the values before and after. */
@Component({
  selector: 'app-audit',
  imports: [TranslatePipe, MemberPicker, ExportLinks, ListState],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'audit.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="list.search($event, searchFields)">
        <label>
          {{ 'activity.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <label>
          {{ 'audit.entity-type' | translate }}
          <select name="entityType" (change)="list.filter('entityType', $event)">
            <option value="" [selected]="!list.query()['entityType']">
              {{ 'activity.any' | translate }}
            </option>
            @for (type of entityTypes; track type) {
              <option [value]="type" [selected]="list.query()['entityType'] === type">
                {{ 'audit.entity-types.' + type | translate }}
              </option>
            }
          </select>
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

      <p
        class="exports"
        appExportLinks="/api/audit"
        [query]="apiQuery()"
        csv="activity.export-csv"
        xlsx="activity.export-xlsx"
      ></p>

      <app-list-state [resource]="entries" [list]="list" loadError="activity.load-error" empty="audit.none">
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
              @for (entry of page()?.items; track entry.id) {
                <tr>
                  <td>{{ dateTime(entry.occurredAt) }}</td>
                  <td>
                    {{ actor(entry) }}
                    @if (entry.actorName) {
                      <span class="detail">{{ entry.actorLabel }}</span>
                    }
                  </td>
                  <td>{{ known('audit.actions.', entry.action) }}</td>
                  <td>
                    {{ known('audit.entity-types.', entry.entityType) }}
                    @if (entry.entityName) {
                      <strong>{{ entry.entityName }}</strong>
                    }
                    @if (entry.entityId) {
                      <span class="detail">#{{ entry.entityId }}</span>
                    }
                  </td>
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
      </app-list-state>
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
    .detail {
      display: block;
      color: var(--muted);
      font-size: 0.85em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Audit {
  private readonly api = inject(AuditApi);
  private readonly language = inject(LanguageService);
  private readonly translate = inject(TranslateService);
  protected readonly entityTypes = AUDIT_ENTITY_TYPES;
  protected readonly list = injectListQuery(FILTERS);
  /** The list query as the API takes it: whole days for `from` and `to`. */
  protected readonly apiQuery = computed(() => withDayRange(this.list.query()));
  protected readonly idOf = idOf;
  protected readonly changes = auditChanges;
  protected readonly searchFields = SEARCH_FIELDS;

  protected readonly entries = httpResource<Page<AuditEntryDto>>(() => this.api.listRequest(this.apiQuery()));
  protected readonly page = computed(() => (this.entries.hasValue() ? this.entries.value() : undefined));

  /** The translation of `prefix + value`, or the value itself when it has none (an older entry's word). */
  protected known(prefix: string, value: string): string {
    this.language.current();
    const text: unknown = this.translate.instant(prefix + value);
    return typeof text === 'string' && text !== prefix + value ? text : value;
  }

  /** Who acted: the member's name now, or what the entry recorded (`cli`, `system`, an email). */
  protected actor(entry: AuditEntryDto): string {
    return entry.actorName ?? this.known('audit.actors.', entry.actorLabel);
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
