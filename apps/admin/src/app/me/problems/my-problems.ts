import {
  ChangeDetectionStrategy,
  Component,
  effect,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ProblemReportDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../../core/api-error';
import { LanguageService } from '../../core/language';
import { formatDateTime } from '../../shared/time-format';
import { openFirst, problemActions } from '../../problems/problem-logic';
import { ProblemsApi } from '../../problems/problems-api';

/** `/me/problems`: the member's reports (state, resolution, cancel while open) and the email opt-out. */
@Component({
  selector: 'app-my-problems',
  imports: [RouterLink, TranslatePipe],
  styleUrls: ['../../shared/page.css', '../../shared/form-page.css', '../../problems/problems.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'problems.mine.title' | translate }}</h1>
        <a class="button primary" routerLink="/me/report">{{ 'problems.mine.report' | translate }}</a>
      </div>

      <section aria-labelledby="notify-title" class="panel">
        <h2 id="notify-title">{{ 'problems.mine.notify-title' | translate }}</h2>
        @if (notify() !== null) {
          <label class="check">
            <input
              type="checkbox"
              role="switch"
              [checked]="notify()"
              [disabled]="notifyBusy()"
              (change)="setNotify($event)"
            />
            {{ 'problems.mine.notify' | translate }}
          </label>
        }
        <p role="status" class="hint">
          @if (notifySaved()) {
            {{ 'problems.mine.notify-saved' | translate }}
          }
        </p>
        @if (notifyError()) {
          <p class="error" role="alert">{{ notifyError() | translate }}</p>
        }
      </section>

      @if (error()) {
        <p class="error" role="alert">
          {{ error() | translate }}
          <button type="button" (click)="load()">{{ 'paging.retry' | translate }}</button>
        </p>
      } @else if (reports() === null) {
        <p role="status">{{ 'problems.loading' | translate }}</p>
      } @else {
        <p role="status" class="visually-hidden">{{ done() | translate }}</p>
        <ul class="reports" [attr.aria-label]="'problems.mine.title' | translate">
          @for (report of reports(); track report.id) {
            <li>
              <h2>{{ report.machineName }}</h2>
              <p class="meta">
                <span class="badge" [attr.data-severity]="report.severity">{{
                  'problems.severity.' + report.severity | translate
                }}</span>
                <span class="badge" [attr.data-state]="report.state">{{
                  'problems.state.' + report.state | translate
                }}</span>
                <span class="hint">{{ when(report.createdAt) }}</span>
              </p>
              <p class="description">{{ report.description }}</p>
              @if (report.state === 'resolved') {
                <p>
                  <strong>{{ 'problems.resolution' | translate }}:</strong>
                  <span class="description">{{ report.resolution }}</span>
                  @if (report.resolvedAt) {
                    <span class="hint"> ({{ when(report.resolvedAt) }})</span>
                  }
                </p>
              }
              @if (actionsOf(report).cancel) {
                @if (cancelling() === report.id) {
                  <section class="confirm" role="alertdialog" [attr.aria-labelledby]="'cancel-' + report.id">
                    <h3 [id]="'cancel-' + report.id" tabindex="-1" #confirmTitle>
                      {{ 'problems.mine.cancel-confirm' | translate: { machine: report.machineName } }}
                    </h3>
                    <p>{{ 'problems.mine.cancel-what' | translate }}</p>
                    <div class="actions">
                      <button type="button" class="danger" [disabled]="busy()" (click)="cancel(report)">
                        {{ 'problems.mine.cancel-yes' | translate }}
                      </button>
                      <button type="button" (click)="cancelling.set(null)">
                        {{ 'problems.mine.cancel-no' | translate }}
                      </button>
                    </div>
                  </section>
                } @else {
                  <div class="actions">
                    <button type="button" (click)="cancelling.set(report.id)">
                      {{ 'problems.mine.cancel' | translate }}
                    </button>
                  </div>
                }
              }
            </li>
          } @empty {
            <li>{{ 'problems.mine.none' | translate }}</li>
          }
        </ul>
        @if (actionError()) {
          <p class="error" role="alert">{{ actionError() | translate }}</p>
        }
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyProblems {
  private readonly api = inject(ProblemsApi);
  private readonly language = inject(LanguageService);

  protected readonly reports = signal<readonly ProblemReportDto[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly cancelling = signal<number | null>(null);
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
  /** What the last action did, said to screen readers. */
  protected readonly done = signal('');
  protected readonly notify = signal<boolean | null>(null);
  protected readonly notifyBusy = signal(false);
  protected readonly notifySaved = signal(false);
  protected readonly notifyError = signal<string | null>(null);
  private readonly confirmTitle = viewChild<ElementRef<HTMLElement>>('confirmTitle');

  constructor() {
    void this.load();
    void this.loadNotify();
    effect(() => this.confirmTitle()?.nativeElement.focus());
  }

  protected actionsOf(report: ProblemReportDto) {
    return problemActions(report, 'member');
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      this.reports.set(openFirst(await this.api.mine()));
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }

  protected async cancel(report: ProblemReportDto): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    try {
      const cancelled = await this.api.cancel(report.id);
      this.reports.update((list) => (list ?? []).map((r) => (r.id === cancelled.id ? cancelled : r)));
      this.done.set('problems.mine.cancelled');
    } catch (error) {
      this.actionError.set(errorKey(error));
    } finally {
      this.busy.set(false);
      this.cancelling.set(null);
    }
  }

  protected async setNotify(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    this.notifyBusy.set(true);
    this.notifySaved.set(false);
    this.notifyError.set(null);
    try {
      this.notify.set((await this.api.setNotifications({ machineStatus: input.checked })).machineStatus);
      this.notifySaved.set(true);
    } catch (error) {
      input.checked = !input.checked;
      this.notifyError.set(errorKey(error));
    } finally {
      this.notifyBusy.set(false);
    }
  }

  private async loadNotify(): Promise<void> {
    try {
      this.notify.set((await this.api.notifications()).machineStatus);
    } catch (error) {
      this.notifyError.set(errorKey(error));
    }
  }
}
