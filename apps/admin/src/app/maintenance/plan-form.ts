import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_PAGE_SIZE,
  type MachineDto,
  type MaintenancePlanDto,
  type MaintenancePlanInput,
  type Page,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { controlMessage, FormState, required } from '../shared/form-state';
import { type Message, message } from '../shared/message';
import { DeletePanel } from '../shared/delete-panel';
import { MachinesApi } from '../machines/machines-api';
import { MaintenanceApi } from './maintenance-api';

type Field = 'machineId' | 'description' | 'hoursBetween' | 'lcdMessage' | 'instructionsUrl';

/** Create (`/maintenance/plans/new?machineId=`) or edit (`/maintenance/plans/:id`) a plan; delete it. */
@Component({
  selector: 'app-plan-form',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe, DeletePanel, FormActions, FormField],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <p>
        <a routerLink="/maintenance">{{ 'maintenance.plans.back' | translate }}</a>
      </p>
      <h1>
        {{ (id() ? 'maintenance.plans.form.edit-title' : 'maintenance.plans.form.new-title') | translate }}
      </h1>

      @if (loadError()) {
        <p class="error" role="alert">{{ loadError() | translate }}</p>
      } @else if (!deleted()) {
        <form class="edit-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
          <app-field controlId="plan-machine" label="maintenance.machine" [error]="message('machineId')">
            <select formControlName="machineId">
              <option [ngValue]="0" disabled>{{ 'maintenance.choose-machine' | translate }}</option>
              @for (machine of machines(); track machine.id) {
                <option [ngValue]="machine.id">{{ machine.name }}</option>
              }
            </select>
          </app-field>
          <app-field
            controlId="plan-description"
            label="maintenance.plans.form.description"
            [error]="message('description')"
          >
            <input formControlName="description" autocomplete="off" />
          </app-field>
          <app-field
            controlId="plan-hours"
            label="maintenance.plans.form.hours-between"
            [error]="message('hoursBetween')"
          >
            <input type="number" min="0.1" step="0.1" formControlName="hoursBetween" />
          </app-field>
          <app-field
            controlId="plan-lcd"
            label="maintenance.plans.form.lcd-message"
            hint="maintenance.plans.form.lcd-hint"
            [error]="message('lcdMessage')"
          >
            <input formControlName="lcdMessage" autocomplete="off" />
          </app-field>
          <app-field
            controlId="plan-url"
            label="maintenance.plans.form.instructions-url"
            [error]="message('instructionsUrl')"
          >
            <input type="url" formControlName="instructionsUrl" autocomplete="off" />
          </app-field>

          <app-form-actions
            [state]="state"
            saveLabel="machines.form.save"
            savedNotice="machines.form.saved"
            [disabled]="!canEdit()"
          />
        </form>
      }

      @if (id() && canEdit()) {
        <app-delete-panel
          [url]="'/api/maintenance-plans/' + id()"
          [name]="plan()?.description ?? ''"
          namespace="maintenance.plans"
          backLink="/maintenance"
          (deletedChange)="deleted.set(true)"
        />
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlanForm {
  private readonly machinesApi = inject(MachinesApi);
  private readonly api = inject(MaintenanceApi);
  private readonly router = inject(Router);
  private readonly auth = inject(Auth);
  /** Route param of `/maintenance/plans/:id`; absent on `new`. */
  readonly id = input<string>();
  /** `?machineId=` preselecting the machine of a new plan. */
  readonly machineId = input<string>();

  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly deleted = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly plan = signal<MaintenancePlanDto | null>(null);

  private readonly machineList = httpResource<Page<MachineDto>>(() =>
    this.machinesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly machines = computed(() => this.machineList.value()?.items ?? []);

  protected readonly form = inject(NonNullableFormBuilder).group({
    machineId: [0, Validators.min(1)],
    description: ['', [required, Validators.maxLength(500)]],
    hoursBetween: [100, [required, Validators.min(0.01), Validators.max(1_000_000)]],
    lcdMessage: ['', Validators.maxLength(100)],
    instructionsUrl: ['', [Validators.maxLength(500), Validators.pattern(/^\s*(https?:\/\/\S+)?\s*$/)]],
  });
  protected readonly state = new FormState(this.form, {
    fixFields: 'machines.form-errors.fix-fields',
  });

  constructor() {
    effect(() => {
      const machineId = Number(this.machineId());
      if (machineId && !this.id()) this.form.controls.machineId.setValue(machineId);
    });
    effect(() => {
      const id = this.id();
      if (id) void this.load(id);
    });
  }

  protected message(field: Field): Message | null {
    const refused = this.state.refusal(field);
    const control = this.form.controls[field];
    if (field === 'machineId' && control.hasError('min') && (control.touched || control.dirty)) {
      return message('machines.form-errors.required');
    }
    return controlMessage(control, refused);
  }

  protected async save(): Promise<void> {
    await this.state.submit(async () => {
      const value = this.form.getRawValue();
      const body: MaintenancePlanInput = {
        ...value,
        description: value.description.trim(),
        lcdMessage: value.lcdMessage.trim(),
        instructionsUrl: value.instructionsUrl.trim() || null,
      };
      const id = this.id();
      if (id) {
        this.fill(await this.api.updatePlan(id, body));
        this.state.saved.set(true);
      } else {
        await this.api.createPlan(body);
        await this.router.navigate(['/maintenance'], { queryParams: { machineId: body.machineId } });
      }
    });
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    try {
      this.fill(await this.api.plan(id));
    } catch (error) {
      this.loadError.set(errorKey(error));
    }
  }

  private fill(plan: MaintenancePlanDto): void {
    this.plan.set(plan);
    this.form.reset({
      machineId: plan.machineId,
      description: plan.description,
      hoursBetween: plan.hoursBetween,
      lcdMessage: plan.lcdMessage,
      instructionsUrl: plan.instructionsUrl ?? '',
    });
  }
}
