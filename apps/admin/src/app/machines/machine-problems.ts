import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type { ProblemReportDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { LanguageService } from '../core/language';
import { Live } from '../core/live';
import { formatDateTime } from '../shared/time-format';
import { openFirst } from '../problems/problem-logic';
import { ProblemReportForm, type ReportedMachine } from '../problems/problem-report-form';
import { ProblemsApi } from '../problems/problems-api';

/** The machine page's open problem reports, and a staff "Report a problem" form. */
@Component({
  selector: 'app-machine-problems',
  imports: [RouterLink, TranslatePipe, ProblemReportForm],
  styleUrls: ['../shared/page.css', '../shared/form-page.css', '../problems/problems.css'],
  template: `
    <section aria-labelledby="problems-title">
      <h2 id="problems-title">{{ 'problems.machine-page.title' | translate }}</h2>
      @if (error()) {
        <p class="error" role="alert">{{ error() | translate }}</p>
      } @else if (reports(); as list) {
        @if (list.length === 0) {
          <p>{{ 'problems.machine-page.none' | translate }}</p>
        } @else {
          <ul class="reports">
            @for (report of list; track report.id) {
              <li>
                <p class="meta">
                  <span class="badge" [attr.data-severity]="report.severity">{{
                    'problems.severity.' + report.severity | translate
                  }}</span>
                  @if (report.hardLock) {
                    <span class="badge lock">{{ 'problems.hard-lock.badge' | translate }}</span>
                  }
                  <span class="hint">{{ when(report.createdAt) }} · {{ report.reporter?.name ?? '—' }}</span>
                </p>
                <p class="description">{{ report.description }}</p>
                <a [routerLink]="['/problems', report.id]">{{ 'problems.machine-page.open' | translate }}</a>
              </li>
            }
          </ul>
        }
      }
      <p class="actions">
        <a [routerLink]="['/problems']" [queryParams]="{ machineId: machine().machineId }">{{
          'problems.machine-page.all' | translate
        }}</a>
        @if (!reporting()) {
          <button type="button" (click)="reporting.set(true)">
            {{ 'problems.machine-page.report' | translate }}
          </button>
        }
      </p>
      @if (reporting()) {
        <section class="panel" aria-labelledby="report-title">
          <h3 id="report-title">{{ 'problems.machine-page.report' | translate }}</h3>
          <app-problem-report-form [machine]="machine()" (filed)="load()" />
          <div class="actions">
            <button type="button" (click)="reporting.set(false)">
              {{ 'problems.machine-page.close' | translate }}
            </button>
          </div>
        </section>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineProblems {
  private readonly api = inject(ProblemsApi);
  private readonly language = inject(LanguageService);
  private readonly live = inject(Live);
  readonly machine = input.required<ReportedMachine>();

  protected readonly reports = signal<readonly ProblemReportDto[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly reporting = signal(false);

  constructor() {
    for (const name of ['problem-reported', 'problem-changed'] as const)
      this.live
        .on(name)
        .pipe(takeUntilDestroyed())
        .subscribe(({ report }) => {
          if (report.machineId === untracked(this.machine).machineId) void this.load();
        });
    effect(() => {
      const id = this.machine().machineId;
      this.live.connected();
      void untracked(() => this.load(id));
    });
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  async load(machineId = untracked(this.machine).machineId): Promise<void> {
    try {
      const page = await this.api.list({ machineId, state: 'open', pageSize: 100 });
      this.reports.set(openFirst(page.items));
      this.error.set(null);
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
