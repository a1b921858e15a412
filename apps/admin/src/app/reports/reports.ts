import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type {
  BusiestHoursReport,
  MaintenanceReport,
  SessionsByMemberReport,
  UsageByWeekReport,
} from '@fabomatic/contracts';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import type { ChartData } from 'chart.js';
import { errorKey } from '../core/api-error';
import { HoursPipe } from '../core/hours';
import { LanguageService } from '../core/language';
import { injectListQuery } from '../shared/list-query';
import { formatDate, formatDateTime, withDayRange, fieldText } from '../shared/localised';
import { BarChart } from './bar-chart';
import { DowntimeReport } from './downtime-report';
import { CertificationReport } from './certification-report';
import { ReportsApi } from './reports-api';

const FILTERS = ['from', 'to'] as const;
const DAY_MS = 86_400_000;

/** A local day as a date input holds it, e.g. `2026-03-12`. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The reports' default range: the last 365 days, today included. */
export function defaultRange(now: Date): { from: string; to: string } {
  return { from: localDay(new Date(now.getTime() - 365 * DAY_MS)), to: localDay(now) };
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** Distinguishable on white, for the machines' stacks. */
const PALETTE = ['#0b5cad', '#d97706', '#15803d', '#a4161a', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f'];

/** Usage reports over `?from=&to=` (local days; default the last year), counted in the browser's time zone. */
@Component({
  selector: 'app-reports',
  imports: [TranslatePipe, BarChart, HoursPipe, DowntimeReport, CertificationReport],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'reports.title' | translate }}</h1>
      <form class="filters" (submit)="apply($event)">
        <label>
          {{ 'activity.from' | translate }}
          <input name="from" type="date" [value]="range()['from']" />
        </label>
        <label>
          {{ 'activity.to' | translate }}
          <input name="to" type="date" [value]="range()['to']" />
        </label>
        <button type="submit">{{ 'reports.apply' | translate }}</button>
      </form>
      @if (rangeError()) {
        <p class="error" role="alert">{{ 'reports.from-after-to' | translate }}</p>
      }

      <section aria-labelledby="weeks-title">
        <h2 id="weeks-title">{{ 'reports.weeks.title' | translate }}</h2>
        @if (weeks.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else if (weekData(); as data) {
          <app-bar-chart
            [data]="data"
            [stacked]="true"
            [label]="'reports.weeks.title' | translate"
            [locale]="lang()"
          />
        } @else if (!rangeError()) {
          <p role="status">{{ 'activity.loading' | translate }}</p>
        }
      </section>

      <section aria-labelledby="members-title">
        <h2 id="members-title">{{ 'reports.members.title' | translate }}</h2>
        @if (members.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else if (members.value(); as report) {
          <app-bar-chart
            [data]="memberData()!"
            [horizontal]="true"
            [label]="'reports.members.title' | translate"
            [locale]="lang()"
          />
          <p>{{ 'reports.members.count' | translate: { count: report.memberCount } }}</p>
        }
      </section>

      <section aria-labelledby="hours-title">
        <h2 id="hours-title">{{ 'reports.hours.title' | translate }}</h2>
        @if (busiest.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else if (busiest.value(); as report) {
          <div class="table">
            <table class="heatmap">
              <caption class="visually-hidden">
                {{
                  'reports.hours.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'reports.hours.day' | translate }}</th>
                  @for (hour of hours; track hour) {
                    <th scope="col" class="num">{{ hour }}</th>
                  }
                </tr>
              </thead>
              <tbody>
                @for (row of report.sessions; track $index) {
                  <tr>
                    <th scope="row">{{ weekdays()[$index] }}</th>
                    @for (count of row; track $index) {
                      <td class="num" [style.background]="shade(count)" [class.dark]="count / peak() > 0.5">
                        {{ count || '' }}
                      </td>
                    }
                  </tr>
                }
              </tbody>
            </table>
          </div>
          <p class="legend">
            <span class="swatch" aria-hidden="true" [style.background]="shade(1)"></span>
            <span class="swatch" aria-hidden="true" [style.background]="shade(peak())"></span>
            {{ 'reports.hours.legend' | translate: { peak: peak() } }}
          </p>
        }
      </section>

      <app-downtime-report [params]="params()" />

      <section aria-labelledby="maintenance-title">
        <h2 id="maintenance-title">{{ 'reports.maintenance.title' | translate }}</h2>
        @if (maintenance.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else if (maintenance.value(); as report) {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'reports.maintenance.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'activity.machine' | translate }}</th>
                  <th scope="col" class="num">{{ 'reports.maintenance.meter' | translate }}</th>
                  <th scope="col">{{ 'reports.maintenance.plan' | translate }}</th>
                  <th scope="col" class="num">{{ 'reports.maintenance.since' | translate }}</th>
                  <th scope="col" class="num">{{ 'reports.maintenance.between' | translate }}</th>
                  <th scope="col">{{ 'reports.maintenance.last' | translate }}</th>
                  <th scope="col">{{ 'reports.maintenance.state' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (machine of report.machines; track machine.machineId) {
                  @for (plan of machine.plans; track plan.planId) {
                    <tr>
                      <td>{{ machine.machineName }}</td>
                      <td class="num">{{ machine.usageHours | hours }}</td>
                      <td>{{ plan.description }}</td>
                      <td class="num">{{ plan.hoursSince | hours }}</td>
                      <td class="num">{{ plan.hoursBetween | hours }}</td>
                      <td>{{ date(plan.lastInterventionAt) }}</td>
                      <td [class.error]="plan.due">
                        {{ (plan.due ? 'reports.maintenance.due' : 'reports.maintenance.ok') | translate }}
                      </td>
                    </tr>
                  } @empty {
                    <tr>
                      <td>{{ machine.machineName }}</td>
                      <td class="num">{{ machine.usageHours | hours }}</td>
                      <td colspan="5">{{ 'reports.maintenance.no-plans' | translate }}</td>
                    </tr>
                  }
                }
              </tbody>
            </table>
          </div>
          <p>{{ 'reports.maintenance.generated' | translate: { time: dateTime(report.generatedAt) } }}</p>
        }
      </section>

      <app-certification-report [from]="range()['from']" [to]="range()['to']" />
    </main>
  `,
  styles: `
    section {
      margin: 1.5rem 0;
    }
    .heatmap td,
    .heatmap th {
      padding: 0.25rem;
      font-size: 0.85em;
    }
    .heatmap td.dark {
      color: #fff;
    }
    .legend .swatch {
      display: inline-block;
      width: 1rem;
      height: 1rem;
      vertical-align: middle;
      border: 1px solid var(--control-border);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Reports {
  private readonly api = inject(ReportsApi);
  private readonly language = inject(LanguageService);
  private readonly translate = inject(TranslateService);
  protected readonly list = injectListQuery(FILTERS);
  protected readonly errorKey = errorKey;
  protected readonly hours = HOURS;
  protected readonly lang = this.language.current;
  /** The range shown: the query's days, else the default the API applies (the last 365 days, to today). */
  protected readonly range = computed(() => ({ ...defaultRange(new Date()), ...this.list.query() }));
  /** A From after To, typed (and not applied) or in the address: said once, and nothing asked. */
  private readonly typedWrongRange = signal(false);
  protected readonly rangeError = computed(
    () => this.typedWrongRange() || endsBeforeStart(this.list.query()['from'], this.list.query()['to']),
  );
  protected readonly params = computed(() =>
    endsBeforeStart(this.list.query()['from'], this.list.query()['to'])
      ? undefined
      : { ...withDayRange(this.range()), tz: Intl.DateTimeFormat().resolvedOptions().timeZone },
  );

  protected readonly weeks = httpResource<UsageByWeekReport>(() => {
    const params = this.params();
    return params && this.api.usageByWeekRequest(params);
  });
  protected readonly members = httpResource<SessionsByMemberReport>(() => {
    const params = this.params();
    return params && this.api.sessionsByMemberRequest({ ...params, limit: 10 });
  });
  protected readonly busiest = httpResource<BusiestHoursReport>(() => {
    const params = this.params();
    return params && this.api.busiestHoursRequest(params);
  });
  protected readonly maintenance = httpResource<MaintenanceReport>(() => this.api.maintenanceRequest());

  /** Hours per machine per week, a stack per week. */
  protected readonly weekData = computed((): ChartData<'bar'> | undefined => {
    const report = this.weeks.value();
    if (!report) return undefined;
    return {
      labels: report.weeks.map((week) => formatDate(week.weekStart + 'T00:00', this.lang())),
      datasets: report.machines.map((machine, index) => ({
        label: machine.machineName,
        backgroundColor: PALETTE[index % PALETTE.length],
        data: report.weeks.map((week) => Math.round((week.machineSeconds[index] ?? 0) / 36) / 100),
      })),
    };
  });

  protected readonly memberData = computed((): ChartData<'bar'> | undefined => {
    const report = this.members.value();
    this.lang();
    if (!report) return undefined;
    return {
      labels: report.members.map((member) => member.memberName),
      datasets: [
        {
          label: this.translate.instant('reports.members.hours') as string,
          backgroundColor: PALETTE[0],
          data: report.members.map((member) => member.hours),
        },
      ],
    };
  });

  protected readonly peak = computed(() => Math.max(1, ...(this.busiest.value()?.sessions.flat() ?? [])));
  /** Monday first, in the portal language. */
  protected readonly weekdays = computed(() => {
    const format = new Intl.DateTimeFormat(this.lang(), { weekday: 'short' });
    // 5 January 2026 is a Monday.
    return Array.from({ length: 7 }, (_, day) => format.format(new Date(2026, 0, 5 + day)));
  });

  protected shade(count: number): string {
    if (!count) return 'transparent';
    return `rgba(11, 92, 173, ${(0.12 + 0.88 * (count / this.peak())).toFixed(2)})`;
  }

  protected apply(event: Event): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const [from, to] = [fieldText(data, 'from'), fieldText(data, 'to')];
    this.typedWrongRange.set(endsBeforeStart(from, to));
    if (!this.typedWrongRange()) this.list.update({ from, to });
  }

  protected date(iso: string | null): string {
    return formatDate(iso, this.lang());
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.lang());
  }
}

/** Whether both days are given and To comes before From (`YYYY-MM-DD` compare as text). */
function endsBeforeStart(from: string | undefined, to: string | undefined): boolean {
  return !!from && !!to && to < from;
}
