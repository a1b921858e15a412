import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import {
  type MachineDto,
  MAX_PAGE_SIZE,
  type Page,
  PROBLEM_SEVERITIES,
  PROBLEM_STATES,
  type ProblemReportDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../core/language';
import { Live } from '../core/live';
import { ListState } from '../shared/list-state';
import { injectListQuery } from '../shared/list-query';
import { formatDateTime } from '../shared/time-format';
import { MachinesApi } from '../machines/machines-api';
import { formatAge, openFirst } from './problem-logic';
import { ProblemsApi } from './problems-api';

const FILTERS = ['state', 'machineId', 'severity'] as const;

/** `/problems`: the problem reports, open first, by state, machine and severity (staff). */
@Component({
  selector: 'app-problems',
  imports: [RouterLink, TranslatePipe, ListState],
  styleUrls: ['../shared/page.css', '../shared/form-page.css', './problems.css'],
  template: `
    <main>
      <h1>{{ 'problems.title' | translate }}</h1>
      <form class="filters" [attr.aria-label]="'problems.filters' | translate">
        <label>
          {{ 'problems.state.label' | translate }}
          <select (change)="list.filter('state', $event)">
            <option value="">{{ 'problems.any' | translate }}</option>
            @for (state of states; track state) {
              <option [value]="state" [selected]="list.query()['state'] === state">
                {{ 'problems.state.' + state | translate }}
              </option>
            }
          </select>
        </label>
        <label>
          {{ 'problems.machine' | translate }}
          <select (change)="list.filter('machineId', $event)">
            <option value="">{{ 'problems.any' | translate }}</option>
            @for (machine of machines(); track machine.id) {
              <option [value]="machine.id" [selected]="list.query()['machineId'] === '' + machine.id">
                {{ machine.name }}
              </option>
            }
          </select>
        </label>
        <label>
          {{ 'problems.severity.label' | translate }}
          <select (change)="list.filter('severity', $event)">
            <option value="">{{ 'problems.any' | translate }}</option>
            @for (severity of severities; track severity) {
              <option [value]="severity" [selected]="list.query()['severity'] === severity">
                {{ 'problems.severity.' + severity | translate }}
              </option>
            }
          </select>
        </label>
      </form>

      <app-list-state
        [resource]="reports"
        [list]="list"
        loadError="problems.load-error"
        empty="problems.none"
        emptySearch="problems.empty"
      >
        <div class="table">
          <table>
            <caption class="visually-hidden">
              {{
                'problems.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'problems.machine' | translate }}</th>
                <th scope="col">{{ 'problems.severity.label' | translate }}</th>
                <th scope="col">{{ 'problems.state.label' | translate }}</th>
                <th scope="col">{{ 'problems.description' | translate }}</th>
                <th scope="col">{{ 'problems.reporter' | translate }}</th>
                <th scope="col">{{ 'problems.age' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (report of items(); track report.id) {
                <tr>
                  <td>
                    <a [routerLink]="['/problems', report.id]">{{ report.machineName }}</a>
                  </td>
                  <td>
                    <span class="meta">
                      <span class="badge" [attr.data-severity]="report.severity">{{
                        'problems.severity.' + report.severity | translate
                      }}</span>
                      @if (report.hardLock) {
                        <span class="badge lock">{{ 'problems.hard-lock.badge' | translate }}</span>
                      }
                    </span>
                  </td>
                  <td>
                    <span class="badge" [attr.data-state]="report.state">{{
                      'problems.state.' + report.state | translate
                    }}</span>
                  </td>
                  <td class="description">{{ short(report.description) }}</td>
                  <td>{{ report.reporter?.name ?? '—' }}</td>
                  <td>
                    <time [attr.datetime]="report.createdAt" [attr.title]="when(report.createdAt)">{{
                      age(report.createdAt)
                    }}</time>
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
export class Problems {
  private readonly api = inject(ProblemsApi);
  private readonly machinesApi = inject(MachinesApi);
  private readonly language = inject(LanguageService);
  protected readonly states = PROBLEM_STATES;
  protected readonly severities = PROBLEM_SEVERITIES;
  protected readonly list = injectListQuery(FILTERS);
  protected readonly reports = httpResource<Page<ProblemReportDto>>(() =>
    this.api.listRequest(this.list.query()),
  );
  /** The page's reports, open first (out of order before notes), then the newest. */
  protected readonly items = computed(() => openFirst(this.reports.value()?.items ?? []));
  private readonly machineList = httpResource<Page<MachineDto>>(() =>
    this.machinesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly machines = computed(() => this.machineList.value()?.items ?? []);
  /** The clock of the ages, ticking every minute. */
  private readonly now = signal(Date.now());

  constructor() {
    const clock = setInterval(() => this.now.set(Date.now()), 60_000);
    inject(DestroyRef).onDestroy(() => clearInterval(clock));
    const live = inject(Live);
    for (const name of ['problem-reported', 'problem-changed'] as const)
      live
        .on(name)
        .pipe(takeUntilDestroyed())
        .subscribe(() => this.reports.reload());
  }

  protected age(iso: string): string {
    return formatAge(iso, this.now(), this.language.current());
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected short(text: string): string {
    return text.length > 120 ? `${text.slice(0, 117)}…` : text;
  }
}
