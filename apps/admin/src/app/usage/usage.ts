import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import {
  hasAccess,
  type Page,
  type UsageSessionDto,
  type UsageSessionInput,
  type UsageSessionUpdate,
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
import { MemberPicker } from '../shared/member-picker';
import {
  formatDateTime,
  formatHours,
  fromLocalInput,
  toLocalInput,
  withDayRange,
  fieldText,
} from '../shared/localised';
import { UsageApi } from './usage-api';

const FILTERS = ['memberId', 'machineId', 'from', 'to', 'open'] as const;

/** The usage history (`?machineId=`, `?memberId=` from other pages) with manual entries and corrections. */
@Component({
  selector: 'app-usage',
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
  ],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'usage.title' | translate }}</h1>

      <form class="filters" role="search" (submit)="list.search($event, ['q', 'from', 'to'])">
        <label>
          {{ 'activity.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
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
          {{ 'usage.open' | translate }}
          <select (change)="list.filter('open', $event)">
            <option value="">{{ 'activity.any' | translate }}</option>
            <option value="true" [selected]="list.query()['open'] === 'true'">
              {{ 'activity.yes' | translate }}
            </option>
            <option value="false" [selected]="list.query()['open'] === 'false'">
              {{ 'activity.no' | translate }}
            </option>
          </select>
        </label>
      </form>

      <p
        class="exports"
        appExportLinks="/api/usage"
        [query]="apiQuery()"
        csv="activity.export-csv"
        xlsx="activity.export-xlsx"
      >
        @if (canEdit() && !editing()) {
          <button type="button" (click)="startNew()">{{ 'usage.add' | translate }}</button>
        }
      </p>

      @if (editing(); as session) {
        <section class="panel" aria-labelledby="session-form-title">
          <h2 id="session-form-title">
            {{ (session === 'new' ? 'usage.form.new-title' : 'usage.form.edit-title') | translate }}
          </h2>
          <form (submit)="save($event)">
            <div class="fields">
              @if (session === 'new') {
                <app-member-picker
                  name="memberId"
                  [required]="true"
                  [label]="'activity.member' | translate"
                  [placeholder]="'usage.form.choose' | translate"
                />
                <app-machine-picker
                  name="machineId"
                  [required]="true"
                  [label]="'activity.machine' | translate"
                  [placeholder]="'usage.form.choose' | translate"
                />
              } @else {
                <p>{{ session.memberName }} · {{ session.machineName }}</p>
              }
              <app-field controlId="session-started" label="usage.columns.startedAt" [stacked]="true">
                <input
                  name="startedAt"
                  type="datetime-local"
                  required
                  [value]="session === 'new' ? '' : localInput(session.startedAt)"
                />
              </app-field>
              <app-field controlId="session-ended" label="usage.columns.endedAt" [stacked]="true">
                <input
                  name="endedAt"
                  type="datetime-local"
                  [required]="session === 'new'"
                  [value]="session === 'new' ? '' : localInput(session.endedAt)"
                />
              </app-field>
            </div>
            @if (formError()) {
              <p class="error" role="alert">{{ formError() | message }}</p>
            }
            <div class="actions">
              <button type="submit" class="primary" [disabled]="busy()">
                {{ 'activity.save' | translate }}
              </button>
              <button type="button" (click)="editing.set(null)">{{ 'activity.cancel' | translate }}</button>
            </div>
          </form>
        </section>
      }
      @if (saved()) {
        <p class="notice" role="status">{{ saved() | translate: { hours: removedHours() } }}</p>
      }

      @if (confirming(); as session) {
        <section class="confirm" role="alertdialog" aria-labelledby="delete-title">
          <h2 id="delete-title">
            {{
              'usage.delete.title' | translate: { member: session.memberName, machine: session.machineName }
            }}
          </h2>
          <p>{{ 'usage.delete.what' | translate: { hours: hours(session.durationSeconds) || '0' } }}</p>
          <div class="actions">
            <button type="button" class="danger" [disabled]="busy()" (click)="remove(session)">
              {{ 'activity.delete' | translate }}
            </button>
            <button type="button" (click)="confirming.set(null)">{{ 'activity.cancel' | translate }}</button>
          </div>
        </section>
      }
      @if (rowError()) {
        <p class="error" role="alert">{{ rowError() | message }}</p>
      }

      <app-list-state [resource]="sessions" [list]="list" loadError="activity.load-error" empty="usage.none">
        <div class="table">
          <table [appSortable]="list" sortDefault="startedAt" sortDefaultOrder="desc" [sortMarks]="false">
            <caption class="visually-hidden">
              {{
                'usage.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col" appSortHeader="member">{{ 'activity.member' | translate }}</th>
                <th scope="col" appSortHeader="machine">{{ 'activity.machine' | translate }}</th>
                <th scope="col" appSortHeader="startedAt">{{ 'usage.columns.startedAt' | translate }}</th>
                <th scope="col">{{ 'usage.columns.endedAt' | translate }}</th>
                <th scope="col" class="num" appSortHeader="duration">
                  {{ 'usage.columns.hours' | translate }}
                </th>
                <th scope="col">{{ 'usage.columns.end-reason' | translate }}</th>
                @if (canEdit()) {
                  <th scope="col">{{ 'activity.actions' | translate }}</th>
                }
              </tr>
            </thead>
            <tbody>
              @for (session of page()?.items; track session.id) {
                <tr>
                  <td>
                    {{ session.memberName }}
                    @if (session.trainerId !== null) {
                      <span
                        class="badge"
                        [title]="'usage.training-with' | translate: { trainer: session.trainerName }"
                        >{{ 'usage.training' | translate }}</span
                      >
                      <span class="visually-hidden">{{
                        'usage.training-with' | translate: { trainer: session.trainerName }
                      }}</span>
                    }
                  </td>
                  <td>{{ session.machineName }}</td>
                  <td>{{ dateTime(session.startedAt) }}</td>
                  <td>
                    @if (session.open) {
                      <strong>{{ 'usage.running' | translate }}</strong>
                    } @else {
                      {{ dateTime(session.endedAt) }}
                    }
                  </td>
                  <td class="num">{{ hours(session.durationSeconds) }}</td>
                  <td>
                    {{ session.endReason ? ('usage.end-reasons.' + session.endReason | translate) : '' }}
                  </td>
                  @if (canEdit()) {
                    <td>
                      <div class="actions">
                        <button type="button" (click)="startEdit(session)">
                          {{ 'activity.edit' | translate }}
                        </button>
                        <button type="button" (click)="confirming.set(session)">
                          {{ 'activity.delete' | translate }}
                        </button>
                      </div>
                    </td>
                  }
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
export class Usage {
  private readonly api = inject(UsageApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(FILTERS);
  /** The list query as the API takes it: whole days for `from` and `to`. */
  protected readonly apiQuery = computed(() => withDayRange(this.list.query()));
  protected readonly idOf = idOf;
  protected readonly localInput = toLocalInput;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));

  protected readonly sessions = httpResource<Page<UsageSessionDto>>(() =>
    this.api.listRequest(this.apiQuery()),
  );
  protected readonly page = computed(() => (this.sessions.hasValue() ? this.sessions.value() : undefined));

  protected readonly editing = signal<UsageSessionDto | 'new' | null>(null);
  protected readonly confirming = signal<UsageSessionDto | null>(null);
  protected readonly busy = signal(false);
  protected readonly formError = signal<Message | string | null>(null);
  protected readonly rowError = signal<Message | string | null>(null);
  protected readonly saved = signal<string | null>(null);
  protected readonly removedHours = signal('');

  protected startNew(): void {
    this.formError.set(null);
    this.saved.set(null);
    this.editing.set('new');
  }

  protected startEdit(session: UsageSessionDto): void {
    this.formError.set(null);
    this.saved.set(null);
    this.editing.set(session);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    const session = this.editing();
    if (!session) return;
    const data = new FormData(event.target as HTMLFormElement);
    const startedAt = fromLocalInput(fieldText(data, 'startedAt'));
    const endedAt = fromLocalInput(fieldText(data, 'endedAt'));
    this.formError.set(null);
    if (!startedAt || (session === 'new' && !endedAt)) {
      this.formError.set('usage.form.times-required');
      return;
    }
    if (endedAt && endedAt <= startedAt) {
      this.formError.set('usage.form.end-before-start');
      return;
    }
    this.busy.set(true);
    try {
      if (session === 'new') {
        const body: UsageSessionInput = {
          memberId: Number(data.get('memberId')),
          machineId: Number(data.get('machineId')),
          startedAt,
          endedAt: endedAt ?? startedAt,
        };
        if (!body.memberId || !body.machineId) {
          this.formError.set('usage.form.choose-both');
          return;
        }
        await this.api.create(body);
      } else {
        const body: UsageSessionUpdate = { startedAt, ...(endedAt ? { endedAt } : {}) };
        await this.api.update(session.id, body);
      }
      this.editing.set(null);
      this.saved.set('usage.form.saved');
      this.sessions.reload();
    } catch (error) {
      // A session that overlaps another of the same machine: USAGE_SESSION_OVERLAP names it.
      this.formError.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(session: UsageSessionDto): Promise<void> {
    this.busy.set(true);
    this.rowError.set(null);
    try {
      const result = await this.api.remove(session.id);
      this.removedHours.set(this.hours(result.meterSecondsRemoved));
      this.saved.set('usage.delete.done');
      this.sessions.reload();
    } catch (error) {
      this.rowError.set(errorMessage(error));
    } finally {
      this.confirming.set(null);
      this.busy.set(false);
    }
  }

  protected dateTime(iso: string | null): string {
    return formatDateTime(iso, this.language.current());
  }

  protected hours(seconds: number | null): string {
    return formatHours(seconds, this.language.current());
  }
}
