import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, type ValidatorFn, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_PAGE_SIZE,
  type MachineDto,
  type MachineInput,
  type MachineRetireResult,
  type MachineTypeDto,
  type Page,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { roundHours } from '../core/hours';
import { controlMessage, FormState, required } from '../shared/form-state';
import { LanguageService } from '../core/language';
import { type Message, message } from '../shared/message';
import { formatDateTime } from '../shared/time-format';
import { DeletePanel } from '../shared/delete-panel';
import { MachineTypesApi } from '../machine-types/machine-types-api';
import { MachinesApi } from './machines-api';

/** Digits as typed on the board (`012` is not `12`), 0..65535 (the API checks it too). */
const TOPIC_ID = /^\d{1,5}$/;
const MAX_TOPIC_ID = 65_535;
const topicId: ValidatorFn = ({ value }) => {
  const typed = String(value ?? '').trim();
  return typed === '' || (TOPIC_ID.test(typed) && Number(typed) <= MAX_TOPIC_ID) ? null : { topicId: true };
};
type Field = 'topicId' | 'name' | 'typeId' | 'usageHours';

/**
 * Create (`/machines/new`) or edit (`/machines/:id/edit`) a machine; retire it (history kept) or
 * reinstate it; delete it with what goes with it (admins).
 */
@Component({
  selector: 'app-machine-form',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe, DeletePanel, FormActions, FormField],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <p>
        @if (id(); as id) {
          <a [routerLink]="['/machines', id]">{{ 'machines.back-to-machine' | translate }}</a>
        } @else {
          <a routerLink="/machines">{{ 'machines.back' | translate }}</a>
        }
      </p>
      <h1>{{ (id() ? 'machines.form.edit-title' : 'machines.form.new-title') | translate }}</h1>

      @if (loadError()) {
        <p class="error" role="alert">{{ loadError() | translate }}</p>
      } @else if (!deleted()) {
        <form class="edit-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
          <app-field
            controlId="machine-topic"
            label="machines.form.topic-id"
            hint="machines.form.topic-id-hint"
            [error]="message('topicId')"
          >
            <input class="mono" formControlName="topicId" inputmode="numeric" autocomplete="off" />
          </app-field>
          <app-field
            controlId="machine-name"
            label="machines.form.name"
            hint="machines.form.name-hint"
            [error]="message('name')"
          >
            <input formControlName="name" autocomplete="off" />
          </app-field>
          <app-field controlId="machine-type" label="machines.form.type" [error]="message('typeId')">
            <select formControlName="typeId">
              <option [ngValue]="null">{{ 'machines.no-type' | translate }}</option>
              @for (type of types(); track type.id) {
                <option [ngValue]="type.id">{{ type.name }}</option>
              }
            </select>
          </app-field>
          <app-field
            controlId="machine-hours"
            label="machines.form.usage-hours"
            [error]="message('usageHours')"
          >
            <input type="number" min="0" step="0.1" formControlName="usageHours" />
          </app-field>

          <label class="check">
            <input type="checkbox" formControlName="blocked" /> {{ 'machines.form.blocked' | translate }}
          </label>

          <app-form-actions [state]="state" saveLabel="machines.form.save" [disabled]="!canEdit()" />
        </form>
      }

      @if (id() && canEdit() && !deleted() && machine(); as current) {
        <section class="panel retire" aria-labelledby="retire-title">
          <h2 id="retire-title">{{ 'machines.retire.title' | translate }}</h2>
          @if (retired(); as done) {
            <p class="notice" role="status">
              {{ 'machines.retire.done' | translate: { name: current.name } }}
              @if (done.sessionClosedFor; as member) {
                {{ 'machines.retire.session-closed' | translate: { name: member } }}
              }
            </p>
          }
          @if (current.retiredAt; as retiredAt) {
            <p>{{ 'machines.retire.retired-on' | translate: { when: when(retiredAt) } }}</p>
            <button type="button" [disabled]="retireBusy()" (click)="reinstate()">
              {{ 'machines.retire.reinstate' | translate }}
            </button>
          } @else if (confirmingRetire()) {
            <div
              class="confirm"
              role="alertdialog"
              aria-labelledby="retire-confirm-title"
              aria-describedby="retire-what"
            >
              <h3 id="retire-confirm-title">
                {{ 'machines.retire.confirm-title' | translate: { name: current.name } }}
              </h3>
              @if (inUseBy(); as user) {
                <p class="warning" data-testid="retire-in-use">
                  {{ 'machines.retire.in-use' | translate: { name: user } }}
                </p>
              }
              <p id="retire-what">{{ 'machines.retire.what' | translate }}</p>
              <div class="actions">
                <button type="button" class="danger" [disabled]="retireBusy()" (click)="retire()">
                  {{ 'machines.retire.confirm' | translate }}
                </button>
                <button type="button" (click)="confirmingRetire.set(false)">
                  {{ 'machines.delete.cancel' | translate }}
                </button>
              </div>
            </div>
          } @else {
            <p>{{ 'machines.retire.hint' | translate }}</p>
            <button type="button" [disabled]="retireBusy()" (click)="askRetire()">
              {{ 'machines.retire.button' | translate }}
            </button>
          }
          @if (retireError(); as failure) {
            <p class="error" role="alert">{{ failure | translate }}</p>
          }
        </section>
      }

      @if (id() && canDelete()) {
        <app-delete-panel
          [url]="'/api/machines/' + id()"
          [name]="machine()?.name ?? ''"
          namespace="machines"
          (deletedChange)="deleted.set(true)"
        />
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineForm {
  private readonly machineTypesApi = inject(MachineTypesApi);
  private readonly api = inject(MachinesApi);
  private readonly router = inject(Router);
  private readonly auth = inject(Auth);
  /** Route param of `/machines/:id/edit`; absent on `/machines/new`. */
  readonly id = input<string>();

  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  /** Deleting a machine erases its history: admins only. */
  protected readonly canDelete = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  protected readonly loadError = signal<string | null>(null);
  protected readonly deleted = signal(false);
  protected readonly machine = signal<MachineDto | null>(null);
  protected readonly confirmingRetire = signal(false);
  protected readonly retireBusy = signal(false);
  protected readonly retireError = signal<string | null>(null);
  protected readonly retired = signal<MachineRetireResult | null>(null);
  /** Who is using the machine, asked when its retirement is about to be confirmed. */
  protected readonly inUseBy = signal<string | null>(null);
  private readonly language = inject(LanguageService);

  private readonly typeList = httpResource<Page<MachineTypeDto>>(() =>
    this.machineTypesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly types = computed(() => this.typeList.value()?.items ?? []);

  protected readonly form = inject(NonNullableFormBuilder).group({
    topicId: ['', [required, topicId]],
    name: ['', [required, Validators.maxLength(100)]],
    typeId: [null as number | null],
    blocked: [false],
    usageHours: [0, [required, Validators.min(0), Validators.max(1_000_000)]],
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
    const control = this.form.controls[field];
    if (control.hasError('topicId') && (control.touched || control.dirty))
      return message('validation.topic-id');
    return controlMessage(control, this.state.refusal(field));
  }

  protected async save(): Promise<void> {
    await this.state.submit(async () => {
      const value = this.form.getRawValue();
      const { usageHours, ...rest } = value;
      const body: MachineInput = {
        ...rest,
        topicId: value.topicId.trim(),
        name: value.name.trim(),
        ...(this.id() && !this.form.controls.usageHours.dirty ? {} : { usageHours }),
      };
      const id = this.id();
      const saved = await (id ? this.api.update(id, body) : this.api.create(body));
      await this.router.navigate(['/machines', saved.id]);
    });
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  /** The confirmation names who is using the machine: their session is closed by the retirement. */
  protected async askRetire(): Promise<void> {
    await this.retireStep(async () => {
      const status = await this.api.status(Number(this.id()));
      this.inUseBy.set(status.session?.memberName ?? null);
      this.confirmingRetire.set(true);
    });
  }

  protected async retire(): Promise<void> {
    await this.retireStep(async () => {
      const result = await this.api.retire(Number(this.id()));
      this.retired.set(result);
      this.machine.set(result.machine);
      this.confirmingRetire.set(false);
    });
  }

  protected async reinstate(): Promise<void> {
    await this.retireStep(async () => {
      this.retired.set(null);
      this.machine.set(await this.api.reinstate(Number(this.id())));
    });
  }

  private async retireStep(work: () => Promise<void>): Promise<void> {
    this.retireBusy.set(true);
    this.retireError.set(null);
    try {
      await work();
    } catch (error) {
      this.retireError.set(errorKey(error));
    } finally {
      this.retireBusy.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    try {
      const machine = await this.api.get(id);
      this.machine.set(machine);
      this.form.reset({
        topicId: machine.topicId,
        name: machine.name,
        typeId: machine.typeId,
        blocked: machine.blocked,
        // Shown rounded; sent back only when edited, so a save leaves the exact meter alone.
        usageHours: roundHours(machine.usageHours),
      });
    } catch (error) {
      this.loadError.set(errorKey(error));
    }
  }
}
