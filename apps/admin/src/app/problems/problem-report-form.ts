import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import {
  hasAccess,
  PROBLEM_DESCRIPTION_MAX,
  type ProblemReportDto,
  type ProblemSeverity,
  type ReportableMachineDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { controlMessage, FormState, required } from '../shared/form-state';
import { type Message, message } from '../shared/message';
import { mayDeclareOutOfOrder, photoProblem } from './problem-logic';
import { ProblemsApi } from './problems-api';

/** A machine the form reports on, when it is given (the machine page) rather than picked. */
export interface ReportedMachine {
  readonly machineId: number;
  readonly name: string;
}

/**
 * Report a problem: the machine (picked among those the user may report on, or given), note or out
 * of order, a description and an optional photo (checked here: type and size), sent as multipart
 * with its upload progress. Managers may lock the machine for everyone.
 */
@Component({
  selector: 'app-problem-report-form',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe, FormActions, FormField],
  styleUrls: ['../shared/page.css', '../shared/form-page.css', './problems.css'],
  template: `
    @if (reported(); as report) {
      <section class="notice" role="status" aria-labelledby="reported-title">
        <h2 id="reported-title">{{ 'problems.form.thanks' | translate }}</h2>
        <p>
          {{
            (report.severity === 'out-of-order'
              ? 'problems.form.next-out-of-order'
              : 'problems.form.next-note'
            ) | translate: { machine: report.machineName }
          }}
        </p>
        <div class="actions">
          @if (staff()) {
            <a [routerLink]="['/problems', report.id]">{{ 'problems.form.see-report' | translate }}</a>
          } @else {
            <a routerLink="/me/problems">{{ 'problems.form.see-mine' | translate }}</a>
          }
          <button type="button" (click)="again()">{{ 'problems.form.another' | translate }}</button>
        </div>
      </section>
    } @else {
      <form class="edit-form" [formGroup]="form" (ngSubmit)="send()" novalidate>
        @if (machine(); as given) {
          <p>
            <strong>{{ 'problems.machine' | translate }}:</strong> {{ given.name }}
          </p>
        } @else if (machinesError()) {
          <p class="error" role="alert">{{ machinesError() | translate }}</p>
        } @else if (machines() === null) {
          <p role="status">{{ 'problems.loading' | translate }}</p>
        } @else if (machines()!.length === 0) {
          <p class="notice" role="status">{{ 'problems.form.no-machines' | translate }}</p>
        } @else {
          <app-field
            controlId="problem-machine"
            label="problems.machine"
            hint="problems.form.machine-hint"
            [error]="fieldMessage('machineId')"
          >
            <select formControlName="machineId">
              <option [ngValue]="null">{{ 'problems.form.choose-machine' | translate }}</option>
              @for (m of machines(); track m.machineId) {
                <option [ngValue]="m.machineId">
                  {{ m.name }}{{ m.typeName ? ' · ' + m.typeName : '' }}
                  {{ m.outOfOrder ? ('problems.form.already-out' | translate) : '' }}
                </option>
              }
            </select>
          </app-field>
          @if (picked()?.outOfOrder) {
            <p class="notice" role="status">{{ 'problems.form.already-out-notice' | translate }}</p>
          }
        }

        <fieldset>
          <legend>{{ 'problems.form.severity' | translate }}</legend>
          <label>
            <input type="radio" formControlName="severity" value="note" />
            <span>
              <strong>{{ 'problems.severity.note' | translate }}</strong><br />
              <span class="hint">{{ 'problems.form.note-hint' | translate }}</span>
            </span>
          </label>
          <label>
            <input
              type="radio"
              formControlName="severity"
              value="out-of-order"
              [attr.disabled]="outOfOrderAllowed() ? null : ''"
              [attr.aria-describedby]="outOfOrderAllowed() ? null : 'out-of-order-why'"
            />
            <span>
              <strong>{{ 'problems.severity.out-of-order' | translate }}</strong><br />
              <span class="hint">{{ 'problems.form.out-of-order-hint' | translate }}</span>
            </span>
          </label>
          @if (!outOfOrderAllowed()) {
            <p id="out-of-order-why" class="hint">
              {{ 'problems.form.out-of-order-staff-only' | translate }}
            </p>
          }
        </fieldset>

        @if (canLock() && form.controls.severity.value === 'out-of-order') {
          <label class="check">
            <input type="checkbox" formControlName="hardLock" aria-describedby="hard-lock-hint" />
            {{ 'problems.hard-lock.label' | translate }}
          </label>
          <p id="hard-lock-hint" class="hint">{{ 'problems.hard-lock.explain' | translate }}</p>
        }

        <app-field
          controlId="problem-description"
          label="problems.form.description"
          [hint]="counter()"
          [error]="fieldMessage('description')"
        >
          <textarea formControlName="description" [attr.maxlength]="max" rows="5"></textarea>
        </app-field>

        <app-field
          controlId="problem-photo"
          label="problems.form.photo"
          hint="problems.form.photo-hint"
          [error]="photoError()"
        >
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            (change)="choose($event)"
          />
        </app-field>
        @if (preview(); as url) {
          <img class="preview" [src]="url" [alt]="'problems.form.preview' | translate" />
          <div class="actions">
            <button type="button" (click)="removePhoto()">
              {{ 'problems.form.remove-photo' | translate }}
            </button>
          </div>
        }

        @if (state.busy()) {
          <label for="problem-upload">{{ 'problems.form.sending' | translate }}</label>
          <progress id="problem-upload" max="100" [value]="progress()">{{ progress() }}%</progress>
        }
        <app-form-actions [state]="state" saveLabel="problems.form.submit" [disabled]="!canSend()" />
      </form>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProblemReportForm {
  private readonly api = inject(ProblemsApi);
  private readonly auth = inject(Auth);
  /** The machine reported on (the machine page); none: the user picks one they may report on. */
  readonly machine = input<ReportedMachine | null>(null);
  /** A machine to pick at first (`/me/report?machineId=3`). */
  readonly preselect = input<number | null>(null);
  /** Said once a report is filed. */
  readonly filed = output<ProblemReportDto>();

  protected readonly max = PROBLEM_DESCRIPTION_MAX;
  protected readonly access = computed(() => this.auth.user()?.access ?? 'none');
  protected readonly staff = computed(() => hasAccess(this.access(), 'read-only'));
  protected readonly canLock = computed(() => hasAccess(this.access(), 'manager'));
  protected readonly machines = signal<readonly ReportableMachineDto[] | null>(null);
  protected readonly machinesError = signal<string | null>(null);
  protected readonly reported = signal<ProblemReportDto | null>(null);
  protected readonly photo = signal<File | null>(null);
  protected readonly photoError = signal<Message | null>(null);
  protected readonly preview = signal<string | null>(null);
  protected readonly progress = signal(0);
  /** Which file the preview being read is of: a photo removed or replaced meanwhile drops it. */
  private previewToken = 0;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    machineId: this.fb.control<number | null>(null, required),
    severity: this.fb.control<ProblemSeverity>('note'),
    description: ['', [required, Validators.maxLength(PROBLEM_DESCRIPTION_MAX), notBlank]],
    hardLock: false,
  });
  protected readonly state = new FormState(this.form, { fixFields: 'problems.form.fix-fields' });
  private readonly value = signal(this.form.getRawValue());

  protected readonly picked = computed(() => {
    const id = this.value().machineId;
    return this.machines()?.find((m) => m.machineId === id) ?? null;
  });
  protected readonly outOfOrderAllowed = computed(
    () => this.machine() !== null || mayDeclareOutOfOrder(this.picked(), this.access()) || !this.picked(),
  );
  protected readonly counter = computed(() =>
    message('problems.form.counter', {
      count: this.value().description.length,
      max: PROBLEM_DESCRIPTION_MAX,
    }),
  );
  protected readonly canSend = computed(() => this.machine() !== null || (this.machines()?.length ?? 0) > 0);

  constructor() {
    this.form.valueChanges.subscribe(() => this.value.set(this.form.getRawValue()));
    effect(() => {
      const given = this.machine();
      untracked(() => {
        if (given) this.form.controls.machineId.setValue(given.machineId);
        else void this.loadMachines();
      });
    });
    // Out of order only where the user may declare it: staff always, members as the type allows.
    effect(() => {
      const allowed = this.outOfOrderAllowed();
      const severity = this.form.controls.severity;
      untracked(() => {
        if (!allowed && severity.value === 'out-of-order') severity.setValue('note');
      });
    });
  }

  protected fieldMessage(field: 'machineId' | 'description'): Message | null {
    return controlMessage(this.form.controls[field], this.state.refusal(field));
  }

  protected choose(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0] ?? null;
    this.clearPreview();
    this.photo.set(null);
    this.photoError.set(null);
    if (!file) return;
    const problem = photoProblem(file);
    if (problem) {
      this.photoError.set(problem);
      input.value = '';
      return;
    }
    this.photo.set(file);
    this.readPreview(file);
  }

  protected removePhoto(): void {
    this.clearPreview();
    this.photo.set(null);
    this.photoError.set(null);
    const input = document.getElementById('problem-photo') as HTMLInputElement | null;
    if (input) input.value = '';
  }

  protected async send(): Promise<void> {
    this.progress.set(0);
    await this.state.submit(async () => {
      const value = this.form.getRawValue();
      const report = await this.api.create(
        {
          machineId: value.machineId ?? 0,
          severity: value.severity,
          description: value.description.trim(),
          ...(this.canLock() && value.severity === 'out-of-order' ? { hardLock: value.hardLock } : {}),
        },
        this.photo(),
        (sent) => this.progress.set(Math.round(sent * 100)),
      );
      this.reported.set(report);
      this.filed.emit(report);
    });
  }

  protected again(): void {
    this.reported.set(null);
    this.removePhoto();
    this.form.reset({
      machineId: this.machine()?.machineId ?? null,
      severity: 'note',
      description: '',
      hardLock: false,
    });
    if (!this.machine()) void this.loadMachines();
  }

  private async loadMachines(): Promise<void> {
    this.machinesError.set(null);
    try {
      const machines = await this.api.reportableMachines();
      this.machines.set(machines);
      const wanted = untracked(this.preselect);
      if (wanted !== null && machines.some((m) => m.machineId === wanted))
        this.form.controls.machineId.setValue(wanted);
    } catch (error) {
      this.machinesError.set(errorKey(error));
    }
  }

  /** The preview as a data URL: the portal's Content-Security-Policy allows `data:` images, not `blob:`. */
  private readPreview(file: File): void {
    const reader = new FileReader();
    const token = ++this.previewToken;
    reader.onload = () => {
      if (token === this.previewToken && typeof reader.result === 'string') this.preview.set(reader.result);
    };
    reader.readAsDataURL(file);
  }

  private clearPreview(): void {
    this.previewToken++;
    this.preview.set(null);
  }
}

/** A description of spaces only says nothing. */
function notBlank(control: { readonly value: string }): Record<string, boolean> | null {
  return control.value.length > 0 && control.value.trim().length === 0 ? { required: true } : null;
}
