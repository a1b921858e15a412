import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { type MachineStatusDto, PROBLEM_RESOLUTION_MAX, type ProblemReportDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { Live } from '../core/live';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { controlMessage, FormState, required } from '../shared/form-state';
import { type Message, message } from '../shared/message';
import { formatDateTime } from '../shared/time-format';
import { MachinesApi } from '../machines/machines-api';
import { problemActions } from './problem-logic';
import { ProblemsApi } from './problems-api';

/** `/problems/:id`: one report, its photo and history; resolve it, lock the machine, stop its session. */
@Component({
  selector: 'app-problem-detail',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe, FormActions, FormField],
  styleUrls: ['../shared/page.css', '../shared/form-page.css', './problems.css'],
  template: `
    <main>
      <p>
        <a routerLink="/problems">{{ 'problems.back' | translate }}</a>
      </p>
      @if (error()) {
        <p class="error" role="alert">{{ error() | translate }}</p>
      }
      @if (report(); as r) {
        <div class="title">
          <h1>{{ 'problems.detail.title' | translate: { machine: r.machineName } }}</h1>
          <span class="meta">
            <span class="badge" [attr.data-severity]="r.severity">{{
              'problems.severity.' + r.severity | translate
            }}</span>
            <span class="badge" [attr.data-state]="r.state" role="status">{{
              'problems.state.' + r.state | translate
            }}</span>
            @if (r.hardLock && r.state === 'open') {
              <span class="badge lock">{{ 'problems.hard-lock.badge' | translate }}</span>
            }
          </span>
        </div>
        <dl class="facts">
          <dt>{{ 'problems.machine' | translate }}</dt>
          <dd>
            <a [routerLink]="['/machines', r.machineId]">{{ r.machineName }}</a>
            @if (machine()?.session; as session) {
              · {{ 'problems.detail.in-use-by' | translate: { name: session.memberName } }}
            }
          </dd>
          <dt>{{ 'problems.reporter' | translate }}</dt>
          <dd>{{ r.reporter?.name ?? '—' }}</dd>
          <dt>{{ 'problems.detail.reported-at' | translate }}</dt>
          <dd>{{ when(r.createdAt) }}</dd>
        </dl>
        <h2>{{ 'problems.description' | translate }}</h2>
        <p class="description">{{ r.description }}</p>
        @if (r.hasPhoto) {
          <h2>{{ 'problems.detail.photo' | translate }}</h2>
          <a [href]="photoUrl()" target="_blank" rel="noopener">
            <img
              class="photo"
              [src]="photoUrl()"
              [alt]="'problems.detail.photo-alt' | translate: { machine: r.machineName }"
            />
          </a>
        }

        <section aria-labelledby="history-title">
          <h2 id="history-title">{{ 'problems.detail.history' | translate }}</h2>
          <ol class="history">
            <li>
              {{
                'problems.detail.history-reported'
                  | translate: { when: when(r.createdAt), name: r.reporter?.name ?? '—' }
              }}
            </li>
            @if (r.resolvedAt) {
              <li>
                {{
                  'problems.detail.history-resolved'
                    | translate: { when: when(r.resolvedAt), name: r.resolvedBy?.name ?? '—' }
                }}
                <p class="description">{{ r.resolution }}</p>
              </li>
            }
            @if (r.cancelledAt) {
              <li>{{ 'problems.detail.history-cancelled' | translate: { when: when(r.cancelledAt) } }}</li>
            }
          </ol>
        </section>

        @if (actions().hardLock) {
          <section aria-labelledby="lock-title" class="panel">
            <h2 id="lock-title">{{ 'problems.hard-lock.title' | translate }}</h2>
            <label class="check">
              <input
                type="checkbox"
                role="switch"
                [checked]="r.hardLock"
                [disabled]="lockBusy()"
                aria-describedby="lock-explain"
                (change)="setHardLock($event)"
              />
              {{ 'problems.hard-lock.label' | translate }}
            </label>
            <p id="lock-explain" class="hint">{{ 'problems.hard-lock.explain' | translate }}</p>
            @if (lockError()) {
              <p class="error" role="alert">{{ lockError() | translate }}</p>
            }
          </section>
        }

        @if (actions().stopSession) {
          <section aria-labelledby="stop-title" class="panel">
            <h2 id="stop-title">{{ 'problems.stop.title' | translate }}</h2>
            <p class="hint">
              {{ 'problems.stop.hint' | translate: { name: machine()?.session?.memberName ?? '' } }}
            </p>
            @if (askingStop()) {
              <section class="confirm" role="alertdialog" aria-labelledby="stop-confirm">
                <h3 id="stop-confirm" tabindex="-1" #confirmTitle>
                  {{ 'machines.remote.confirm-stop' | translate: { name: r.machineName } }}
                </h3>
                <div class="actions">
                  <button type="button" class="danger" [disabled]="stopBusy()" (click)="stop(r.machineId)">
                    {{ 'machines.remote.stop' | translate }}
                  </button>
                  <button type="button" (click)="askingStop.set(false)">
                    {{ 'machines.remote.cancel' | translate }}
                  </button>
                </div>
              </section>
            } @else {
              <div class="actions">
                <button type="button" class="danger" (click)="askStop()">
                  {{ 'problems.stop.button' | translate }}
                </button>
              </div>
            }
          </section>
        }
        <p role="status">
          @if (stopped()) {
            {{ 'machines.remote.sent-stop' | translate }}
          }
        </p>
        @if (stopError()) {
          <p class="error" role="alert">{{ stopError() | translate }}</p>
        }

        @if (actions().resolve) {
          <section aria-labelledby="resolve-title">
            <h2 id="resolve-title">{{ 'problems.resolve.title' | translate }}</h2>
            <form class="edit-form" [formGroup]="form" (ngSubmit)="resolve()" novalidate>
              <app-field
                controlId="problem-resolution"
                label="problems.resolve.resolution"
                hint="problems.resolve.hint"
                [error]="resolutionMessage()"
              >
                <textarea formControlName="resolution" rows="4" [attr.maxlength]="max"></textarea>
              </app-field>
              <app-form-actions [state]="state" saveLabel="problems.resolve.submit" />
            </form>
          </section>
        }
        @if (resolvedNow()) {
          <p class="notice" role="status">{{ 'problems.resolve.done' | translate }}</p>
        }
      } @else if (!error()) {
        <p role="status">{{ 'problems.loading' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProblemDetail {
  private readonly api = inject(ProblemsApi);
  private readonly machinesApi = inject(MachinesApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  private readonly live = inject(Live);
  /** Route param of `/problems/:id`. */
  readonly id = input.required<string>();

  protected readonly max = PROBLEM_RESOLUTION_MAX;
  protected readonly report = signal<ProblemReportDto | null>(null);
  protected readonly machine = signal<MachineStatusDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly actions = computed(() => {
    const report = this.report();
    return report
      ? problemActions(report, this.auth.user()?.access ?? 'none', !!this.machine()?.session)
      : { resolve: false, hardLock: false, cancel: false, stopSession: false };
  });
  protected readonly photoUrl = computed(() => this.api.photoUrl(this.id()));
  protected readonly lockBusy = signal(false);
  protected readonly lockError = signal<string | null>(null);
  protected readonly askingStop = signal(false);
  protected readonly stopBusy = signal(false);
  protected readonly stopped = signal(false);
  protected readonly stopError = signal<string | null>(null);
  protected readonly resolvedNow = signal(false);
  private readonly confirmTitle = viewChild<ElementRef<HTMLElement>>('confirmTitle');

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    resolution: ['', [required, Validators.maxLength(PROBLEM_RESOLUTION_MAX), Validators.pattern(/\S/)]],
  });
  protected readonly state = new FormState(this.form, { fixFields: 'problems.resolve.fix' });

  constructor() {
    this.live
      .on('problem-changed')
      .pipe(takeUntilDestroyed())
      .subscribe(({ report }) => {
        if (String(report.id) === this.id()) this.report.set(report);
      });
    this.live
      .on('machine-status')
      .pipe(takeUntilDestroyed())
      .subscribe((card) => {
        if (card.machineId === untracked(this.report)?.machineId) this.machine.set(card);
      });
    effect(() => {
      const id = this.id();
      this.live.connected();
      void untracked(() => this.load(id));
    });
    effect(() => this.confirmTitle()?.nativeElement.focus());
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected resolutionMessage(): Message | null {
    const control = this.form.controls.resolution;
    if (control.hasError('pattern') && (control.touched || control.dirty))
      return message('machines.form-errors.required');
    return controlMessage(control, this.state.refusal('resolution'));
  }

  protected async resolve(): Promise<void> {
    await this.state.submit(async () => {
      this.report.set(await this.api.resolve(this.id(), this.form.getRawValue().resolution.trim()));
      this.form.reset({ resolution: '' });
      this.resolvedNow.set(true);
    });
  }

  protected async setHardLock(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    this.lockBusy.set(true);
    this.lockError.set(null);
    try {
      this.report.set(await this.api.setHardLock(this.id(), input.checked));
    } catch (error) {
      input.checked = !input.checked;
      this.lockError.set(errorKey(error));
    } finally {
      this.lockBusy.set(false);
    }
  }

  protected askStop(): void {
    this.stopped.set(false);
    this.stopError.set(null);
    this.askingStop.set(true);
  }

  protected async stop(machineId: number): Promise<void> {
    this.stopBusy.set(true);
    try {
      await this.machinesApi.command(machineId, 'stop');
      this.stopped.set(true);
    } catch (error) {
      this.stopError.set(errorKey(error));
    } finally {
      this.stopBusy.set(false);
      this.askingStop.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    try {
      const report = await this.api.get(id);
      this.report.set(report);
      this.error.set(null);
      try {
        this.machine.set(await this.machinesApi.status(report.machineId));
      } catch {
        // Only says whether the machine is in use: the report stands without it.
        this.machine.set(null);
      }
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
