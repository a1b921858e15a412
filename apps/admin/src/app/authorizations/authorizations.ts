import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import {
  AUTHORIZATION_STATES,
  type AuthorizationDto,
  type BulkAuthorizationResult,
  hasAccess,
  MAX_PAGE_SIZE,
  type MemberDto,
  type Page,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../core/api-error';
import { type Message, MessagePipe } from '../shared/message';
import { FormField } from '../shared/field';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { SortableTable, SortHeader } from '../shared/sort-header';
import { injectListQuery } from '../shared/list-query';
import { idOf } from '../shared/entity-picker';
import { MachinePicker } from '../shared/machine-picker';
import { MemberPicker, memberLabel } from '../shared/member-picker';
import { formatDate, fromLocalInput, toLocalInput, fieldText } from '../shared/localised';
import { AuthorizationsApi } from './authorizations-api';
import { CertificationActions, CertificationState, injectCertificationViewer } from './certification-cells';
import { MembersApi } from '../members/members-api';

const FILTERS = ['memberId', 'machineId', 'expired', 'state'] as const;

/**
 * Who may use which machine, and each certification's state: filters in the URL, bulk add for one
 * machine, expiry, the lifecycle actions and history, admin-only erase, exports.
 */
@Component({
  selector: 'app-authorizations',
  imports: [
    TranslatePipe,
    MessagePipe,
    MachinePicker,
    MemberPicker,
    ExportLinks,
    ListState,
    SortableTable,
    SortHeader,
    FormField,
    CertificationState,
    CertificationActions,
  ],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'authorizations.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="list.search($event)">
        <label>
          {{ 'activity.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'activity.search-submit' | translate }}</button>
        <app-member-picker
          [label]="'activity.member' | translate"
          [placeholder]="'activity.any' | translate"
          [value]="idOf(list.query()['memberId'])"
          (valueChange)="list.update({ memberId: $event })"
        />
        <app-machine-picker
          [label]="'activity.machine' | translate"
          [placeholder]="'activity.any' | translate"
          [value]="idOf(list.query()['machineId'])"
          (valueChange)="list.update({ machineId: $event })"
        />
        <label>
          {{ 'certification.state' | translate }}
          <select (change)="list.filter('state', $event)">
            <option value="">{{ 'activity.any' | translate }}</option>
            @for (state of states; track state) {
              <option [value]="state" [selected]="list.query()['state'] === state">
                {{ 'certification.states.' + state | translate }}
              </option>
            }
          </select>
        </label>
      </form>

      <p
        class="exports"
        appExportLinks="/api/authorizations"
        [query]="list.query()"
        csv="activity.export-csv"
        xlsx="activity.export-xlsx"
      ></p>

      @if (canEdit()) {
        <section class="panel" aria-labelledby="bulk-title">
          <h2 id="bulk-title">{{ 'authorizations.bulk.title' | translate }}</h2>
          <form (submit)="addBulk($event)">
            <div class="fields">
              <app-machine-picker
                name="machineId"
                [required]="true"
                [label]="'activity.machine' | translate"
                [placeholder]="'authorizations.bulk.choose-machine' | translate"
              />
              <app-field controlId="bulk-expires" label="authorizations.expires-optional" [stacked]="true">
                <input name="expiresAt" type="date" [min]="earliestExpiry" />
              </app-field>
            </div>
            <fieldset>
              <legend>
                {{ 'authorizations.bulk.members' | translate: { count: selected().size } }}
              </legend>
              <label>
                {{ 'authorizations.bulk.find' | translate }}
                <input type="search" (input)="memberSearch.set($any($event.target).value)" />
              </label>
              <ul class="picker">
                @for (member of candidates(); track member.id) {
                  <li>
                    <label class="check">
                      <input
                        type="checkbox"
                        [checked]="selected().has(member.id)"
                        (change)="toggle(member.id)"
                      />
                      {{ memberLabel(member) }}
                      @if (member.cardUid) {
                        <span class="mono">({{ member.cardUid }})</span>
                      }
                    </label>
                  </li>
                } @empty {
                  <li>{{ 'activity.empty' | translate }}</li>
                }
              </ul>
            </fieldset>
            @if (bulkError()) {
              <p class="error" role="alert">{{ bulkError() | message }}</p>
            }
            @if (bulkResult(); as result) {
              <p role="status">{{ 'authorizations.bulk.done' | translate: result }}</p>
            }
            <div class="actions">
              <button type="submit" class="primary" [disabled]="busy()">
                {{ 'authorizations.bulk.submit' | translate }}
              </button>
            </div>
          </form>
        </section>
      }

      @if (confirming(); as authorization) {
        <section class="confirm" role="alertdialog" aria-labelledby="delete-title">
          <h2 id="delete-title">
            {{
              'authorizations.delete.title'
                | translate: { member: authorization.memberName, machine: authorization.machineName }
            }}
          </h2>
          <p>{{ 'authorizations.delete.what' | translate }}</p>
          <div class="actions">
            <button type="button" class="danger" [disabled]="busy()" (click)="remove(authorization)">
              {{ 'authorizations.erase' | translate }}
            </button>
            <button type="button" (click)="confirming.set(null)">{{ 'activity.cancel' | translate }}</button>
          </div>
        </section>
      }
      @if (rowError()) {
        <p class="error" role="alert">{{ rowError() | message }}</p>
      }

      <app-list-state
        [resource]="authorizations"
        [list]="list"
        loadError="activity.load-error"
        empty="authorizations.none"
      >
        <div class="table">
          <table [appSortable]="list" [sortMarks]="false">
            <caption class="visually-hidden">
              {{
                'authorizations.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                @for (column of sortable; track column) {
                  <th scope="col" [appSortHeader]="column">
                    {{ 'authorizations.columns.' + column | translate }}
                  </th>
                }
                <th scope="col">{{ 'certification.state' | translate }}</th>
                <th scope="col">{{ 'activity.actions' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (authorization of page()?.items; track authorization.id) {
                <tr>
                  <td>{{ authorization.memberName }} {{ authorization.memberSurname }}</td>
                  <td>{{ authorization.machineName }}</td>
                  <td>{{ date(authorization.createdAt) }}</td>
                  <td>
                    @if (editing() === authorization.id) {
                      <form class="fields" (submit)="saveExpiry($event, authorization)">
                        <app-field
                          controlId="authorization-expiry"
                          label="authorizations.columns.expiresAt"
                          [stacked]="true"
                        >
                          <input
                            name="expiresAt"
                            type="date"
                            [min]="earliestExpiry"
                            [value]="dayValue(authorization.expiresAt)"
                          />
                        </app-field>
                        <button type="submit" class="primary" [disabled]="busy()">
                          {{ 'activity.save' | translate }}
                        </button>
                        <button type="button" (click)="editing.set(null)">
                          {{ 'activity.cancel' | translate }}
                        </button>
                      </form>
                    } @else {
                      {{
                        authorization.expiresAt
                          ? date(authorization.expiresAt)
                          : ('authorizations.never' | translate)
                      }}
                    }
                  </td>
                  <td><app-certification-state [row]="authorization" /></td>
                  <td>
                    <app-certification-actions
                      [row]="authorization"
                      [viewer]="viewer()"
                      (changed)="authorizations.reload()"
                    />
                    @if (canEdit()) {
                      <div class="actions">
                        <button type="button" (click)="editing.set(authorization.id)">
                          {{ 'authorizations.edit-expiry' | translate }}
                        </button>
                        @if (isAdmin()) {
                          <button type="button" (click)="confirming.set(authorization)">
                            {{ 'authorizations.erase' | translate }}
                          </button>
                        }
                      </div>
                    }
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
export class Authorizations {
  private readonly api = inject(AuthorizationsApi);
  private readonly membersApi = inject(MembersApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly sortable = ['member', 'machine', 'createdAt', 'expiresAt'] as const;
  /** An expiry is the start of its day: tomorrow is the first that still grants (the API refuses the past). */
  protected readonly earliestExpiry = localDay(new Date(Date.now() + 86_400_000));
  protected readonly memberLabel = memberLabel;
  protected readonly idOf = idOf;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  /** Erasing an authorization (a mistake) is for admins; everyone else revokes it. */
  protected readonly isAdmin = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  protected readonly viewer = injectCertificationViewer();
  protected readonly states = AUTHORIZATION_STATES;

  protected readonly authorizations = httpResource<Page<AuthorizationDto>>(() =>
    this.api.listRequest(this.list.query()),
  );
  protected readonly page = computed(() =>
    this.authorizations.hasValue() ? this.authorizations.value() : undefined,
  );

  protected readonly memberSearch = signal('');
  private readonly found = httpResource<Page<MemberDto>>(() =>
    this.membersApi.listRequest({ pageSize: MAX_PAGE_SIZE, sort: 'name', q: this.memberSearch().trim() }),
  );
  protected readonly candidates = computed(() => this.found.value()?.items ?? []);
  protected readonly selected = signal<ReadonlySet<number>>(new Set());
  protected readonly busy = signal(false);
  protected readonly bulkError = signal<Message | string | null>(null);
  protected readonly bulkResult = signal<BulkAuthorizationResult | null>(null);
  protected readonly editing = signal<number | null>(null);
  protected readonly confirming = signal<AuthorizationDto | null>(null);
  protected readonly rowError = signal<Message | string | null>(null);

  protected toggle(id: number): void {
    const next = new Set(this.selected());
    if (!next.delete(id)) next.add(id);
    this.selected.set(next);
  }

  protected async addBulk(event: Event): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const machineId = Number(data.get('machineId'));
    this.bulkError.set(null);
    this.bulkResult.set(null);
    if (!machineId || this.selected().size === 0) {
      this.bulkError.set('authorizations.bulk.incomplete');
      return;
    }
    const expiresAt = fromLocalInput(fieldText(data, 'expiresAt'));
    this.busy.set(true);
    try {
      this.bulkResult.set(
        await this.api.addBulk({
          machineId,
          memberIds: [...this.selected()],
          ...(expiresAt ? { expiresAt } : {}),
        }),
      );
      this.selected.set(new Set());
      // The list then shows what was just added.
      this.list.update({ machineId, memberId: null, expired: null, state: null, q: null });
      this.authorizations.reload();
    } catch (error) {
      this.bulkError.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async saveExpiry(event: Event, authorization: AuthorizationDto): Promise<void> {
    event.preventDefault();
    const value = fieldText(new FormData(event.target as HTMLFormElement), 'expiresAt');
    await this.change(() => this.api.setExpiry(authorization.id, fromLocalInput(value)));
    this.editing.set(null);
  }

  protected async remove(authorization: AuthorizationDto): Promise<void> {
    await this.change(() => this.api.remove(authorization.id));
    this.confirming.set(null);
  }

  private async change(request: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.rowError.set(null);
    try {
      await request();
      this.authorizations.reload();
    } catch (error) {
      this.rowError.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected date(iso: string): string {
    return formatDate(iso, this.language.current());
  }

  protected dayValue(iso: string | null): string {
    return toLocalInput(iso).slice(0, 10);
  }
}

/** `YYYY-MM-DD` of a local day, as a date input takes it. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
