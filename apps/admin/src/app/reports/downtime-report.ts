import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { DowntimeReportDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import type { QueryParams } from '../core/api-request';
import { LanguageService } from '../core/language';
import { formatDuration } from '../problems/problem-logic';
import { ProblemsApi } from '../problems/problems-api';

/** The reports' "Downtime" section: per machine, the outages and time out of order, and the median repair. */
@Component({
  selector: 'app-downtime-report',
  imports: [TranslatePipe],
  styleUrls: ['../shared/page.css'],
  template: `
    <section aria-labelledby="downtime-title">
      <h2 id="downtime-title">{{ 'problems.downtime.title' | translate }}</h2>
      @if (report.error(); as error) {
        <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
      } @else if (report.value(); as r) {
        <p>
          {{ 'problems.downtime.median' | translate }}:
          <strong>{{
            r.medianRepairMs === null
              ? ('problems.downtime.no-repair' | translate)
              : duration(r.medianRepairMs)
          }}</strong>
        </p>
        @if (machines().length === 0) {
          <p>{{ 'problems.downtime.none' | translate }}</p>
        } @else {
          <div class="table">
            <table>
              <caption class="visually-hidden">
                {{
                  'problems.downtime.title' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'activity.machine' | translate }}</th>
                  <th scope="col" class="num">{{ 'problems.downtime.outages' | translate }}</th>
                  <th scope="col" class="num">{{ 'problems.downtime.downtime' | translate }}</th>
                  <th scope="col" class="num">{{ 'problems.downtime.machine-median' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (machine of machines(); track machine.machineId) {
                  <tr>
                    <th scope="row">{{ machine.machineName }}</th>
                    <td class="num">{{ machine.outages }}</td>
                    <td class="num">{{ duration(machine.downtimeMs) }}</td>
                    <td class="num">
                      {{ machine.medianRepairMs === null ? '—' : duration(machine.medianRepairMs) }}
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      } @else if (params()) {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DowntimeReport {
  private readonly api = inject(ProblemsApi);
  private readonly language = inject(LanguageService);
  /** The report's range (`from`, `to` as the API takes them); undefined while the range is wrong. */
  readonly params = input<QueryParams | undefined>();
  protected readonly errorKey = errorKey;
  protected readonly report = httpResource<DowntimeReportDto>(() => {
    const params = this.params();
    if (!params) return undefined;
    // The range only: the page's other reports also send their `tz`, which this one does not take.
    const { from, to } = params;
    return this.api.downtimeRequest({
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    });
  });
  /** Machines that were out of order in the range, the longest downtime first. */
  protected readonly machines = computed(() =>
    [...(this.report.value()?.machines ?? [])]
      .filter((machine) => machine.outages > 0)
      .sort((a, b) => b.downtimeMs - a.downtimeMs),
  );

  protected duration(ms: number): string {
    return formatDuration(ms, this.language.current());
  }
}
