import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type { ProblemReportDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { LanguageService } from '../core/language';
import { Live } from '../core/live';
import { formatAge, openOutOfOrder, withReport } from '../problems/problem-logic';
import { ProblemsApi } from '../problems/problems-api';

/**
 * The dashboard's problem alert: a report just filed (said aloud), and the open out-of-order reports,
 * oldest first, each with a link to resolve it. Pushed by `problem-reported` / `problem-changed`.
 */
@Component({
  selector: 'app-problem-alert',
  imports: [RouterLink, TranslatePipe],
  template: `
    <div role="alert" class="fresh-slot">
      @if (fresh(); as report) {
        <p class="fresh" [attr.data-severity]="report.severity">
          {{
            (report.severity === 'out-of-order'
              ? 'problems.alert.new-out-of-order'
              : 'problems.alert.new-note'
            ) | translate: { machine: report.machineName, name: report.reporter?.name ?? '—' }
          }}
          <a [routerLink]="['/problems', report.id]">{{ 'problems.alert.open' | translate }}</a>
          <button type="button" (click)="fresh.set(null)">{{ 'problems.alert.dismiss' | translate }}</button>
        </p>
      }
    </div>
    @if (outOfOrder().length > 0) {
      <section class="out-of-order" aria-labelledby="out-of-order-title">
        <h2 id="out-of-order-title">
          {{ 'problems.alert.title' | translate: { count: outOfOrder().length } }}
        </h2>
        <ul>
          @for (report of outOfOrder(); track report.id) {
            <li>
              <strong>{{ report.machineName }}</strong>
              @if (report.hardLock) {
                <span class="lock">{{ 'problems.hard-lock.badge' | translate }}</span>
              }
              — {{ report.description }}
              <span class="age">({{ age(report.createdAt) }})</span>
              <a [routerLink]="['/problems', report.id]">{{ 'problems.alert.resolve' | translate }}</a>
            </li>
          }
        </ul>
      </section>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .fresh {
      margin: 0 0 0.75rem;
      padding: 0.5rem 0.75rem;
      border-radius: 0.375rem;
      background: #fef3c7;
      color: #713f12;
      font-weight: 600;
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .fresh[data-severity='out-of-order'],
    .out-of-order {
      background: #fee2e2;
      color: #7f1d1d;
    }
    .out-of-order {
      margin: 0 0 1rem;
      padding: 0.5rem 0.75rem;
      border-radius: 0.375rem;
      border-left: 0.4rem solid #a4161a;
    }
    .out-of-order h2 {
      margin: 0 0 0.25rem;
      font-size: 1.05rem;
    }
    .out-of-order ul {
      margin: 0;
      padding-left: 1.2rem;
    }
    .out-of-order li {
      overflow-wrap: anywhere;
      padding: 0.15rem 0;
    }
    .out-of-order li a {
      margin-left: 0.5rem;
    }
    .lock {
      margin: 0 0.25rem;
      padding: 0 0.4rem;
      border-radius: 1rem;
      background: #7f1d1d;
      color: #fff;
      font-size: 0.85em;
    }
    .age {
      color: #4b5563;
    }
    a {
      color: #7f1d1d;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProblemAlert {
  private readonly api = inject(ProblemsApi);
  private readonly language = inject(LanguageService);
  private readonly live = inject(Live);
  private readonly reports = signal<readonly ProblemReportDto[]>([]);
  /** The report just filed, until dismissed or the next one. */
  protected readonly fresh = signal<ProblemReportDto | null>(null);
  protected readonly outOfOrder = computed(() => openOutOfOrder(this.reports()));
  private readonly now = signal(Date.now());

  constructor() {
    const clock = setInterval(() => this.now.set(Date.now()), 60_000);
    inject(DestroyRef).onDestroy(() => clearInterval(clock));
    this.live
      .on('problem-reported')
      .pipe(takeUntilDestroyed())
      .subscribe(({ report }) => {
        this.reports.update((list) => withReport(list, report));
        this.fresh.set(report);
      });
    this.live
      .on('problem-changed')
      .pipe(takeUntilDestroyed())
      .subscribe(({ report }) => {
        this.reports.update((list) => withReport(list, report));
        if (report.state !== 'open' && untracked(this.fresh)?.id === report.id) this.fresh.set(null);
      });
    // At start and after every reconnection: what changed while no event could arrive.
    effect(() => {
      this.live.connected();
      void untracked(() => this.load());
    });
  }

  protected age(iso: string): string {
    return formatAge(iso, this.now(), this.language.current());
  }

  private async load(): Promise<void> {
    try {
      const page = await this.api.list({ state: 'open', severity: 'out-of-order', pageSize: 100 });
      this.reports.set(page.items);
    } catch {
      // The machine cards still say which machines are out of order.
    }
  }
}
