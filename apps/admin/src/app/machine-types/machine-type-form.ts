import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import {
  type AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  ACCESS_MANAGEMENT,
  type AccessManagement,
  hasAccess,
  type MachineTypeDto,
  type MachineTypeInput,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { controlMessage, FormState, required } from '../shared/form-state';
import { type Message } from '../shared/message';
import { DeletePanel } from '../shared/delete-panel';
import { MachineTypesApi } from './machine-types-api';
import { parseReminderInput, reminderText } from './policy';
import { TypeCertifications } from './type-certifications';

/** Boards keep these in 16-bit fields. */
const MAX_MINUTES = 65535;
type Field = 'name' | 'autoLogoffMinutes' | 'graceMinutes' | 'validityDays' | 'decayDays' | 'reminderDays';
const minutes = [required, Validators.min(0), Validators.max(MAX_MINUTES), Validators.pattern(/^\d+$/)];
/** Certification policy days (optional): 1 to ten years. */
const policyDays = [Validators.min(1), Validators.max(3650), Validators.pattern(/^\d+$/)];
const reminders = (control: AbstractControl<string>): ValidationErrors | null =>
  parseReminderInput(control.value) === null ? { reminders: true } : null;

/** Create (`/machine-types/new`) or edit (`/machine-types/:id`) a machine type; delete it. */
@Component({
  selector: 'app-machine-type-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    TranslatePipe,
    DeletePanel,
    FormActions,
    FormField,
    TypeCertifications,
  ],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <p>
        <a routerLink="/machine-types">{{ 'machine-types.back' | translate }}</a>
      </p>
      <h1>{{ (id() ? 'machine-types.form.edit-title' : 'machine-types.form.new-title') | translate }}</h1>

      @if (loadError()) {
        <p class="error" role="alert">{{ loadError() | translate }}</p>
      } @else if (!deleted()) {
        <form class="edit-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
          <app-field controlId="type-name" label="machine-types.form.name" [error]="message('name')">
            <input formControlName="name" autocomplete="off" />
          </app-field>
          <app-field controlId="type-access" label="machine-types.form.access">
            <select formControlName="accessManagement">
              @for (rule of rules; track rule) {
                <option [ngValue]="rule">{{ 'machine-types.access.' + rule | translate }}</option>
              }
            </select>
          </app-field>
          <app-field
            controlId="type-logoff"
            label="machine-types.form.auto-logoff"
            hint="machine-types.form.auto-logoff-hint"
            [error]="message('autoLogoffMinutes')"
          >
            <input type="number" min="0" [max]="maxMinutes" formControlName="autoLogoffMinutes" />
          </app-field>
          <app-field
            controlId="type-grace"
            label="machine-types.form.grace"
            [error]="message('graceMinutes')"
          >
            <input type="number" min="0" [max]="maxMinutes" formControlName="graceMinutes" />
          </app-field>
          <label class="check">
            <input
              type="checkbox"
              formControlName="membersMayDeclareOutOfOrder"
              aria-describedby="type-out-of-order-hint"
            />
            {{ 'machine-types.form.members-out-of-order' | translate }}
          </label>
          <p id="type-out-of-order-hint" class="hint">
            {{ 'machine-types.form.members-out-of-order-hint' | translate }}
          </p>

          <fieldset>
            <legend>{{ 'machine-types.policy.title' | translate }}</legend>
            <p class="hint">{{ 'machine-types.policy.what' | translate }}</p>
            <app-field
              controlId="type-validity"
              label="machine-types.policy.validity"
              hint="machine-types.policy.validity-hint"
              [error]="message('validityDays')"
            >
              <input type="number" min="1" max="3650" formControlName="validityDays" />
            </app-field>
            <app-field
              controlId="type-decay"
              label="machine-types.policy.decay"
              hint="machine-types.policy.decay-hint"
              [error]="message('decayDays')"
            >
              <input type="number" min="1" max="3650" formControlName="decayDays" />
            </app-field>
            <app-field
              controlId="type-reminders"
              label="machine-types.policy.reminders"
              hint="machine-types.policy.reminders-hint"
              [error]="message('reminderDays')"
            >
              <input formControlName="reminderDays" autocomplete="off" placeholder="30, 7, 1" />
            </app-field>
          </fieldset>

          <app-form-actions
            [state]="state"
            saveLabel="machines.form.save"
            savedNotice="machines.form.saved"
            [disabled]="!canEdit()"
          />
        </form>
      }

      @if (id(); as typeId) {
        @if (!deleted()) {
          <app-type-certifications [typeId]="typeId" />
        }
      }

      @if (id() && canEdit()) {
        <app-delete-panel
          [url]="'/api/machine-types/' + id()"
          [name]="type()?.name ?? ''"
          namespace="machine-types"
          backLink="/machine-types"
          (deletedChange)="deleted.set(true)"
        />
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineTypeForm {
  private readonly api = inject(MachineTypesApi);
  private readonly router = inject(Router);
  private readonly auth = inject(Auth);
  /** Route param of `/machine-types/:id`; absent on `/machine-types/new`. */
  readonly id = input<string>();

  protected readonly rules = ACCESS_MANAGEMENT;
  protected readonly maxMinutes = MAX_MINUTES;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly deleted = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly type = signal<MachineTypeDto | null>(null);

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    name: ['', [required, Validators.maxLength(100)]],
    accessManagement: this.fb.control<AccessManagement>('authorization'),
    autoLogoffMinutes: [0, minutes],
    graceMinutes: [0, minutes],
    validityDays: this.fb.control<number | null>(null, policyDays),
    decayDays: this.fb.control<number | null>(null, policyDays),
    reminderDays: ['', reminders],
    membersMayDeclareOutOfOrder: true,
  });
  protected readonly state = new FormState(this.form, {
    fixFields: 'machines.form-errors.fix-fields',
  });

  constructor() {
    effect(() => {
      const id = this.id();
      if (id) void this.load(id);
    });
  }

  protected message(field: Field): Message | null {
    return controlMessage(this.form.controls[field], this.state.refusal(field));
  }

  protected async save(): Promise<void> {
    await this.state.submit(async () => {
      const value = this.form.getRawValue();
      const body: MachineTypeInput = {
        ...value,
        name: value.name.trim(),
        validityDays: value.validityDays ?? null,
        decayDays: value.decayDays ?? null,
        reminderDays: parseReminderInput(value.reminderDays) ?? [],
      };
      const id = this.id();
      if (id) {
        this.fill(await this.api.update(id, body));
        this.state.saved.set(true);
      } else {
        await this.api.create(body);
        await this.router.navigateByUrl('/machine-types');
      }
    });
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    try {
      this.fill(await this.api.get(id));
    } catch (error) {
      this.loadError.set(errorKey(error));
    }
  }

  private fill(type: MachineTypeDto): void {
    this.type.set(type);
    this.form.reset({
      name: type.name,
      accessManagement: type.accessManagement,
      autoLogoffMinutes: type.autoLogoffMinutes,
      graceMinutes: type.graceMinutes,
      validityDays: type.validityDays,
      decayDays: type.decayDays,
      reminderDays: reminderText(type.reminderDays),
      membersMayDeclareOutOfOrder: type.membersMayDeclareOutOfOrder ?? true,
    });
  }
}
