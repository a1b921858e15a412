import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  hasAccess,
  type InterventionInput,
  MAX_PAGE_SIZE,
  type MachineDto,
  type MaintenancePlanDto,
  type MemberDto,
  type Page,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { controlMessage, FormState } from '../shared/form-state';
import { type Message, message } from '../shared/message';
import { MachinesApi } from '../machines/machines-api';
import { MembersApi } from '../members/members-api';
import { MaintenanceApi } from './maintenance-api';

type Field = 'machineId' | 'performedAt';

/** A manual intervention (`/maintenance/interventions/new?machineId=`): machine, plan, who, when. */
@Component({
  selector: 'app-intervention-form',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe, FormActions, FormField],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <p>
        <a routerLink="/maintenance/interventions">{{ 'maintenance.interventions.back' | translate }}</a>
      </p>
      <h1>{{ 'maintenance.interventions.form.title' | translate }}</h1>
      <form class="edit-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <app-field
          controlId="intervention-machine"
          label="maintenance.machine"
          [error]="message('machineId')"
        >
          <select formControlName="machineId">
            <option [ngValue]="0" disabled>{{ 'maintenance.choose-machine' | translate }}</option>
            @for (machine of machines(); track machine.id) {
              <option [ngValue]="machine.id">{{ machine.name }}</option>
            }
          </select>
        </app-field>
        <app-field controlId="intervention-plan" label="maintenance.interventions.form.plan">
          <select formControlName="planId">
            <option [ngValue]="null">{{ 'maintenance.interventions.no-plan' | translate }}</option>
            @for (plan of plans(); track plan.id) {
              <option [ngValue]="plan.id">{{ plan.description }}</option>
            }
          </select>
        </app-field>
        <app-field controlId="intervention-member" label="maintenance.interventions.form.member">
          <select formControlName="memberId">
            <option [ngValue]="null">—</option>
            @for (member of members(); track member.id) {
              <option [ngValue]="member.id">{{ member.name }} {{ member.surname }}</option>
            }
          </select>
        </app-field>
        <app-field
          controlId="intervention-when"
          label="maintenance.interventions.form.performed-at"
          hint="maintenance.interventions.form.performed-at-hint"
          [error]="message('performedAt')"
        >
          <input type="datetime-local" formControlName="performedAt" />
        </app-field>

        <app-form-actions
          [state]="state"
          saveLabel="maintenance.interventions.form.save"
          [disabled]="!canEdit()"
        />
      </form>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InterventionForm {
  private readonly machinesApi = inject(MachinesApi);
  private readonly membersApi = inject(MembersApi);
  private readonly api = inject(MaintenanceApi);
  private readonly router = inject(Router);
  private readonly auth = inject(Auth);
  /** `?machineId=` preselecting the machine. */
  readonly machineId = input<string>();

  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));

  protected readonly form = inject(NonNullableFormBuilder).group({
    machineId: [0, Validators.min(1)],
    planId: [null as number | null],
    memberId: [null as number | null],
    performedAt: [''],
  });
  protected readonly state = new FormState(this.form, {
    fixFields: 'machines.form-errors.fix-fields',
  });
  private readonly chosenMachine = toSignal(this.form.controls.machineId.valueChanges, { initialValue: 0 });

  private readonly machineList = httpResource<Page<MachineDto>>(() =>
    this.machinesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly machines = computed(() => this.machineList.value()?.items ?? []);
  /** The plans of the chosen machine only: the API refuses a plan of another machine. */
  private readonly planList = httpResource<Page<MaintenancePlanDto>>(() =>
    this.chosenMachine()
      ? this.api.plansRequest({ machineId: this.chosenMachine(), pageSize: MAX_PAGE_SIZE })
      : undefined,
  );
  protected readonly plans = computed(() => this.planList.value()?.items ?? []);
  private readonly memberList = httpResource<Page<MemberDto>>(() =>
    this.membersApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly members = computed(() => this.memberList.value()?.items ?? []);

  constructor() {
    this.form.controls.machineId.valueChanges.subscribe(() => this.form.controls.planId.setValue(null));
    effect(() => {
      const machineId = Number(this.machineId());
      if (machineId) this.form.controls.machineId.setValue(machineId);
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
      const body: InterventionInput = {
        machineId: value.machineId,
        planId: value.planId,
        memberId: value.memberId,
        // datetime-local is the browser's local time; the API takes an instant.
        ...(value.performedAt ? { performedAt: new Date(value.performedAt).toISOString() } : {}),
      };
      await this.api.createIntervention(body);
      await this.router.navigate(['/maintenance/interventions'], {
        queryParams: { machineId: body.machineId },
      });
    });
  }
}
