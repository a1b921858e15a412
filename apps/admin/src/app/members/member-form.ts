import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, type ValidatorFn, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_PAGE_SIZE,
  MEMBER_LANGUAGES,
  type MemberDeleteResult,
  type MemberDto,
  type MemberEraseResult,
  type MemberInput,
  type MemberLanguage,
  type Page,
  type RoleDto,
  type UsageSessionDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey, errorMessage } from '../core/api-error';
import { Auth } from '../core/auth';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { ruleMessage } from '../shared/field-rules';
import { FormState, required } from '../shared/form-state';
import { LanguageService } from '../core/language';
import { formatDateTime } from '../shared/time-format';
import { RolesApi } from '../roles/roles-api';
import { UsageApi } from '../usage/usage-api';
import { MembersApi } from './members-api';
import { MemberSummary } from './member-summary';
import { DeletePanel } from '../shared/delete-panel';
import { type Message, message, MessagePipe } from '../shared/message';

/** 8, 14 or 20 hex characters, either case (the API stores them lower-case). */
const CARD_UID = /^\s*(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{14}|[0-9a-fA-F]{20})\s*$/;
type Field = 'name' | 'surname' | 'email' | 'cardUid' | 'roleId' | 'language';
const DEFAULT_LANGUAGE: MemberLanguage = 'en';
const email: ValidatorFn = (control) => Validators.email(control);

/** Create (`/members/new`, `?card=` from an unknown card) or edit (`/members/:id`) a member. */
@Component({
  selector: 'app-member-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    TranslatePipe,
    MessagePipe,
    FormActions,
    MemberSummary,
    DeletePanel,
    FormField,
  ],
  styleUrls: ['../shared/page.css', './members.css'],
  template: `
    <main>
      <p>
        <a routerLink="/members">{{ 'members.back' | translate }}</a>
      </p>
      <h1>{{ (id() ? 'members.form.edit-title' : 'members.form.new-title') | translate }}</h1>

      @if (deleted(); as result) {
        <div class="notice" role="status">
          <p>{{ 'members.delete.done' | translate: result }}</p>
          @if (result.sessionsClosed.length > 0) {
            <p data-testid="delete-sessions-closed">
              {{
                'members.delete.sessions-closed' | translate: { machines: result.sessionsClosed.join(', ') }
              }}
            </p>
          }
          <a routerLink="/members">{{ 'members.back' | translate }}</a>
        </div>
      }
      @if (erased(); as result) {
        <p class="notice" role="status">{{ 'members.erase.done' | translate: result }}</p>
      }
      @if (loadError()) {
        <p class="error" role="alert">{{ loadError() | translate }}</p>
      } @else if (member()?.deleted) {
        <section class="deleted" aria-labelledby="deleted-title">
          <h2 id="deleted-title">
            @if (member()?.erased) {
              {{ 'members.erase.erased-title' | translate }}
            } @else {
              {{ 'members.restore.deleted-title' | translate: { name: fullName() } }}
            }
          </h2>
          @if (!member()?.erased) {
            <div class="actions">
              @if (canEdit()) {
                <button type="button" class="primary" [disabled]="busy()" (click)="restore()">
                  {{ 'members.restore.button' | translate }}
                </button>
              }
              @if (isAdmin()) {
                <button type="button" class="danger" (click)="confirmingErase.set(true)">
                  {{ 'members.erase.button' | translate }}
                </button>
              }
            </div>
          }
          @if (serverError()) {
            <p class="error" role="alert">{{ serverError() | message }}</p>
          }
        </section>

        @if (confirmingErase()) {
          <section
            class="confirm"
            role="alertdialog"
            aria-labelledby="erase-title"
            aria-describedby="erase-what"
          >
            <h2 id="erase-title" tabindex="-1" #confirmTitle>
              {{ 'members.erase.title' | translate: { name: fullName() } }}
            </h2>
            <p id="erase-what">{{ 'members.erase.what' | translate }}</p>
            <div class="actions">
              <button type="button" class="danger" [disabled]="busy()" (click)="erase()">
                {{ 'members.erase.confirm' | translate }}
              </button>
              <button type="button" (click)="confirmingErase.set(false)">
                {{ 'members.erase.cancel' | translate }}
              </button>
            </div>
          </section>
        }
      } @else {
        <form class="member-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
          <app-field controlId="member-name" label="members.form.name" [error]="message('name')">
            <input formControlName="name" autocomplete="off" />
          </app-field>
          <app-field controlId="member-surname" label="members.form.surname" [error]="message('surname')">
            <input formControlName="surname" autocomplete="off" />
          </app-field>
          <app-field controlId="member-email" label="members.form.email" [error]="message('email')">
            <input type="email" formControlName="email" autocomplete="off" />
          </app-field>
          <app-field
            controlId="member-card"
            label="members.form.card"
            hint="members.form.card-hint"
            [error]="message('cardUid')"
          >
            <input class="mono" formControlName="cardUid" autocomplete="off" spellcheck="false" />
          </app-field>
          <app-field controlId="member-role" label="members.form.role" [error]="message('roleId')">
            <select formControlName="roleId">
              <option [ngValue]="0" disabled>{{ 'members.form.choose-role' | translate }}</option>
              @for (role of roles(); track role.id) {
                <option [ngValue]="role.id">{{ role.name }}</option>
              }
            </select>
          </app-field>
          <app-field controlId="member-language" label="members.form.language" [error]="message('language')">
            <select formControlName="language">
              @for (code of languages; track code) {
                <option [ngValue]="code">{{ 'language.' + code | translate }}</option>
              }
            </select>
          </app-field>

          <label class="check"
            ><input type="checkbox" formControlName="disabled" />
            {{ 'members.form.disabled' | translate }}</label
          >
          <label class="check"
            ><input type="checkbox" formControlName="receiveWeeklySummary" />
            {{ 'members.form.weekly-summary' | translate }}</label
          >

          <app-form-actions
            [state]="state"
            saveLabel="members.form.save"
            savedNotice="members.form.saved"
            [disabled]="!canEdit()"
          >
            @if (id() && canEdit()) {
              <button type="button" [disabled]="busy()" (click)="sendReset()">
                {{ 'members.reset.button' | translate }}
              </button>
            }
          </app-form-actions>
          @if (resetResult() === 'sent') {
            <p class="notice" role="status">{{ 'members.reset.sent' | translate }}</p>
          } @else if (resetResult()) {
            <p class="error" role="alert">{{ resetResult() | translate }}</p>
          }
        </form>

        @if (id() && canEdit()) {
          <app-delete-panel
            [url]="'/api/members/' + id()"
            [name]="fullName()"
            namespace="members"
            backLink="/members"
            [notice]="false"
            (askingChange)="findSessions()"
            (deletedChange)="afterDelete($event)"
          >
            @for (session of inUse(); track session.id) {
              <p class="error" data-testid="delete-in-use">
                {{
                  'members.delete.in-use'
                    | translate: { machine: session.machineName, since: when(session.startedAt) }
                }}
              </p>
            }
          </app-delete-panel>
        }
        @if (member(); as m) {
          <app-member-summary [memberId]="m.id" />
        }
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MemberForm {
  private readonly api = inject(MembersApi);
  private readonly rolesApi = inject(RolesApi);
  private readonly usageApi = inject(UsageApi);
  private readonly router = inject(Router);
  private readonly auth = inject(Auth);
  /** Route param of `/members/:id`; absent on `/members/new`. */
  readonly id = input<string>();
  /** `?card=` of "New member with this card". */
  readonly card = input<string>();

  protected readonly languages = MEMBER_LANGUAGES;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly loadError = signal<string | null>(null);
  protected readonly deleted = signal<MemberDeleteResult | null>(null);
  /** The machines the member is using, shown when their delete is about to be confirmed. */
  protected readonly inUse = signal<readonly UsageSessionDto[]>([]);
  private readonly language = inject(LanguageService);
  protected readonly isAdmin = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  protected readonly confirmingErase = signal(false);
  protected readonly erased = signal<MemberEraseResult | null>(null);
  /** `'sent'`, or the translation key of why the password reset email was not sent. */
  protected readonly resetResult = signal<string | null>(null);
  protected readonly member = signal<MemberDto | null>(null);
  protected readonly fullName = computed(() =>
    `${this.member()?.name ?? ''} ${this.member()?.surname ?? ''}`.trim(),
  );
  private readonly confirmTitle = viewChild<ElementRef<HTMLElement>>('confirmTitle');

  private readonly roleList = httpResource<Page<RoleDto>>(() =>
    this.rolesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  protected readonly roles = computed(() => this.roleList.value()?.items ?? []);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [required, Validators.maxLength(100)]],
    surname: ['', Validators.maxLength(100)],
    email: ['', [email, Validators.maxLength(254)]],
    cardUid: ['', Validators.pattern(CARD_UID)],
    roleId: [0, Validators.min(1)],
    language: [DEFAULT_LANGUAGE],
    disabled: [false],
    receiveWeeklySummary: [false],
  });
  /** Also the busy state and alert of delete, restore, erase and the password reset email. */
  protected readonly state = new FormState(this.form, {
    fixFields: 'members.form.errors.fix-fields',
  });
  protected readonly busy = this.state.busy;
  protected readonly serverError = this.state.serverError;

  constructor() {
    effect(() => {
      const card = this.card();
      if (card && !this.id()) this.form.controls.cardUid.setValue(card);
    });
    effect(() => {
      const id = this.id();
      if (id) void this.load(id);
    });
    effect(() => this.confirmTitle()?.nativeElement.focus());
  }

  /** What is wrong with a field, once the user has been there or submitted (the rule it breaks). */
  protected message(field: Field): Message | null {
    const refused = this.state.refusal(field);
    if (refused) return ruleMessage(refused) ?? message(`members.form.errors.server-${field}`);
    const control = this.form.controls[field];
    const errors = control.errors;
    if (!errors || !(control.touched || control.dirty)) return null;
    if (control.hasError('required') || control.hasError('min'))
      return message('members.form.errors.required');
    if (control.hasError('maxlength')) {
      const { requiredLength } = errors['maxlength'] as { requiredLength: number };
      return message('validation.max-length', { max: requiredLength });
    }
    if (control.hasError('email')) return message('members.form.errors.email');
    if (control.hasError('pattern')) return message('members.form.errors.card');
    return message('members.form.errors.invalid');
  }

  protected async save(): Promise<void> {
    await this.state.submit(async () => {
      const value = this.form.getRawValue();
      const body: MemberInput = {
        ...value,
        name: value.name.trim(),
        surname: value.surname.trim(),
        email: value.email.trim() || null,
        cardUid: value.cardUid.trim() || null,
      };
      const id = this.id();
      if (id) {
        this.fill(await this.api.update(id, body));
        // Their own card (or name) changed: the portal's idea of the user follows (remote start).
        if (Number(id) === this.auth.user()?.id) await this.auth.refresh();
        this.state.saved.set(true);
      } else {
        await this.api.create(body);
        await this.router.navigateByUrl('/members');
      }
    });
  }

  /** The confirmation names the machines the member is using: deleting closes those sessions now. */
  protected async findSessions(): Promise<void> {
    this.inUse.set([]);
    this.serverError.set(null);
    try {
      const open = await this.usageApi.list({
        memberId: Number(this.id()),
        open: true,
        pageSize: MAX_PAGE_SIZE,
      });
      this.inUse.set(open.items);
    } catch (error) {
      this.state.fail(error);
    }
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  /** Deleted (by the delete panel): say what was kept, and show the member as deleted. */
  protected async afterDelete(result: unknown): Promise<void> {
    this.deleted.set(result as MemberDeleteResult);
    try {
      this.fill(await this.api.get(Number(this.id())));
    } catch (error) {
      this.state.fail(error);
    }
  }

  protected async sendReset(): Promise<void> {
    this.resetResult.set(null);
    this.busy.set(true);
    try {
      await this.api.sendPasswordReset(Number(this.id()));
      this.resetResult.set('sent');
    } catch (error) {
      this.resetResult.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async restore(): Promise<void> {
    await this.act(async () => {
      this.fill(await this.api.restore(Number(this.id())));
    });
  }

  protected async erase(): Promise<void> {
    await this.act(async () => {
      this.erased.set(await this.api.erase(Number(this.id())));
      this.fill(await this.api.get(Number(this.id())));
    });
  }

  /** Restore or erase of a deleted member: the previous notices no longer describe the page. */
  private async act(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.serverError.set(null);
    this.deleted.set(null);
    this.erased.set(null);
    try {
      await work();
    } catch (error) {
      this.serverError.set(errorMessage(error));
    } finally {
      this.confirmingErase.set(false);
      this.busy.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    this.deleted.set(null);
    this.erased.set(null);
    this.resetResult.set(null);
    this.confirmingErase.set(false);
    try {
      this.fill(await this.api.get(id));
    } catch (error) {
      this.loadError.set(errorKey(error));
    }
  }

  private fill(member: MemberDto): void {
    this.member.set(member);
    this.form.reset({
      name: member.name,
      surname: member.surname,
      email: member.email ?? '',
      cardUid: member.cardUid ?? '',
      roleId: member.roleId,
      language: member.language,
      disabled: member.disabled,
      receiveWeeklySummary: member.receiveWeeklySummary,
    });
  }
}
