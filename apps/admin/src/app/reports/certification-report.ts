import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import {
  type CertificationReportDto,
  hasAccess,
  type RenewAuthorizationsResult,
  type TrainingMonthDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { errorKey, errorMessage } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { formatDate } from '../shared/localised';
import { type Message, MessagePipe } from '../shared/message';

export const CERTIFICATION_REPORT_URL = '/api/reports/certifications';
export const RENEW_URL = '/api/authorizations/renew';

/** A month's trainings: one row per machine type, and the month's totals. */
export interface TrainingMonth {
  readonly month: string;
  readonly types: readonly TrainingMonthDto[];
  readonly sessions: number;
  readonly qualified: number;
}

/** The report's trainings grouped by month, newest first. */
export function trainingMonths(rows: readonly TrainingMonthDto[]): TrainingMonth[] {
  const months = new Map<string, TrainingMonthDto[]>();
  for (const row of rows) months.set(row.month, [...(months.get(row.month) ?? []), row]);
  return [...months.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([month, types]) => ({
      month,
      types,
      sessions: types.reduce((sum, t) => sum + t.sessions, 0),
      qualified: types.reduce((sum, t) => sum + t.qualified, 0),
    }));
}

/** `2027-03` → "March 2027" / "marzo 2027". */
export function monthLabel(month: string, language: string): string {
  return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

/** The selection after ticking or unticking one authorization. */
export function toggled(selected: ReadonlySet<number>, id: number, on: boolean): Set<number> {
  const next = new Set(selected);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/**
 * The certification section of the reports page (issue 15): authorizations expiring in the next 30
 * and 90 days (per type, and the list, where managers renew a selection at once), trainings held per
 * month in the page's range, and the export of every authorization with its state.
 */
@Component({
  selector: 'app-certification-report',
  imports: [TranslatePipe, MessagePipe, ExportLinks],
  template: `
    <section aria-labelledby="certifications-title">
      <h2 id="certifications-title">{{ 'reports.certifications.title' | translate }}</h2>
      <p
        class="exports"
        appExportLinks="/api/authorizations/certifications"
        [query]="{}"
        csv="reports.certifications.export-csv"
        xlsx="reports.certifications.export-xlsx"
      ></p>
      @if (report.error(); as error) {
        <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
      } @else if (report.value(); as r) {
        <p>
          {{ 'reports.certifications.summary' | translate: { within30: r.within30, within90: r.within90 } }}
        </p>
        @if (r.counts.length) {
          <div class="table">
            <table>
              <caption>
                {{
                  'reports.certifications.by-type' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'reports.certifications.type' | translate }}</th>
                  <th scope="col" class="num">{{ 'reports.certifications.within30' | translate }}</th>
                  <th scope="col" class="num">{{ 'reports.certifications.within90' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (c of r.counts; track c.machineTypeId) {
                  <tr>
                    <th scope="row">{{ c.machineTypeName }}</th>
                    <td class="num">{{ c.within30 }}</td>
                    <td class="num">{{ c.within90 }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          <div class="table">
            <table>
              <caption>
                {{
                  'reports.certifications.expiring' | translate
                }}
              </caption>
              <thead>
                <tr>
                  @if (canRenew()) {
                    <th scope="col">
                      <span class="visually-hidden">{{ 'reports.certifications.select' | translate }}</span>
                    </th>
                  }
                  <th scope="col">{{ 'activity.member' | translate }}</th>
                  <th scope="col">{{ 'activity.machine' | translate }}</th>
                  <th scope="col">{{ 'reports.certifications.last-day' | translate }}</th>
                  <th scope="col">{{ 'reports.certifications.cause' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (a of r.expiring; track a.id) {
                  <tr>
                    @if (canRenew()) {
                      <td>
                        <input
                          type="checkbox"
                          [checked]="selected().has(a.id)"
                          (change)="select(a.id, $any($event.target).checked)"
                          [attr.aria-label]="
                            'reports.certifications.select-one'
                              | translate: { member: a.memberName, machine: a.machineName }
                          "
                        />
                      </td>
                    }
                    <td>{{ a.memberName }}</td>
                    <td>{{ a.machineName }}</td>
                    <td>{{ date(a.lastDay) }}</td>
                    <td>{{ 'reports.certifications.causes.' + a.cause | translate }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          @if (canRenew()) {
            <p>
              <button type="button" [disabled]="!selected().size || renewing()" (click)="renew()">
                {{ 'reports.certifications.renew' | translate: { count: selected().size } }}
              </button>
            </p>
          }
        } @else {
          <p>{{ 'reports.certifications.none-expiring' | translate }}</p>
        }
        <p role="status" aria-live="polite">
          @if (outcome(); as o) {
            <span [class.error]="o.failed">{{ o.message | message }}</span>
          }
        </p>

        <div class="table">
          <table>
            <caption>
              {{
                'reports.certifications.trainings' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'reports.certifications.month' | translate }}</th>
                <th scope="col">{{ 'reports.certifications.type' | translate }}</th>
                <th scope="col" class="num">{{ 'reports.certifications.sessions' | translate }}</th>
                <th scope="col" class="num">{{ 'reports.certifications.qualified' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (m of months(); track m.month) {
                @for (t of m.types; track t.machineTypeId) {
                  <tr>
                    <th scope="row">{{ month(m.month) }}</th>
                    <td>{{ t.machineTypeName }}</td>
                    <td class="num">{{ t.sessions }}</td>
                    <td class="num">{{ t.qualified }}</td>
                  </tr>
                }
              } @empty {
                <tr>
                  <td colspan="4">{{ 'reports.certifications.no-trainings' | translate }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      } @else {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CertificationReport {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  /** The page's range (local days): the trainings counted. */
  readonly from = input<string>();
  readonly to = input<string>();
  protected readonly errorKey = errorKey;
  protected readonly canRenew = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly report = httpResource<CertificationReportDto>(() => {
    const from = this.from();
    const to = this.to();
    // A range the page itself refuses (From after To) is not asked for: its one alert says why.
    if (from && to && from > to) return undefined;
    return {
      url: CERTIFICATION_REPORT_URL,
      params: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
    };
  });
  protected readonly months = computed(() => trainingMonths(this.report.value()?.trainings ?? []));
  protected readonly selected = signal<ReadonlySet<number>>(new Set());
  protected readonly renewing = signal(false);
  protected readonly outcome = signal<{ message: Message | string; failed: boolean } | null>(null);

  protected date(day: string): string {
    return formatDate(`${day}T00:00`, this.language.current());
  }

  protected month(month: string): string {
    return monthLabel(month, this.language.current());
  }

  protected select(id: number, on: boolean): void {
    this.selected.set(toggled(this.selected(), id, on));
  }

  protected async renew(): Promise<void> {
    const ids = [...this.selected()];
    this.renewing.set(true);
    this.outcome.set(null);
    try {
      const result = await firstValueFrom(this.http.post<RenewAuthorizationsResult>(RENEW_URL, { ids }));
      this.outcome.set({
        message: { key: 'reports.certifications.renewed', params: { count: result.renewed } },
        failed: false,
      });
      this.selected.set(new Set());
      this.report.reload();
    } catch (error) {
      this.outcome.set({ message: errorMessage(error), failed: true });
    } finally {
      this.renewing.set(false);
    }
  }
}
