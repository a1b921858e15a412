import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { MessagePipe } from './message';
import type { FormState } from './form-state';

/**
 * The end of an edit form: the alert of a refused save, the "saved" notice, and the actions with the
 * submit button (disabled while busy). Anything inside the element follows the submit button:
 * `<app-form-actions [state]="state" saveLabel="…" savedNotice="…" [disabled]="!canEdit()" />`.
 */
@Component({
  selector: 'app-form-actions',
  imports: [TranslatePipe, MessagePipe],
  styleUrl: './page.css',
  styles: `
    :host {
      display: contents;
    }
  `,
  template: `
    @if (state().serverError(); as error) {
      <p class="error" role="alert">{{ error | message }}</p>
    }
    @if (savedNotice() && state().saved()) {
      <p class="notice" role="status">{{ savedNotice() | translate }}</p>
    }
    <div class="actions">
      <button type="submit" class="primary" [disabled]="state().busy() || disabled()">
        {{ saveLabel() | translate }}
      </button>
      <ng-content />
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormActions {
  readonly state = input.required<FormState>();
  /** Translation key of the submit button. */
  readonly saveLabel = input.required<string>();
  /** Translation key of the notice after a save that stays on the page; none: the form moves on. */
  readonly savedNotice = input<string>();
  /** Whether the submit button is off whatever the state (such as without the right to edit). */
  readonly disabled = input(false);
}
