import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { ControlContainer, FormsModule, NgForm } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import { FormField } from '../shared/field';

/**
 * The end of a password form (first-login change, emailed reset): the new password, the alert of a
 * refused change and the submit button. It stays a control of the enclosing `ngForm`:
 * `<app-new-password [(value)]="next" [error]="error()" />`.
 */
@Component({
  selector: 'app-new-password',
  imports: [FormsModule, TranslatePipe, FormField],
  viewProviders: [{ provide: ControlContainer, useExisting: NgForm }],
  styleUrl: './login.css',
  styles: `
    :host {
      display: contents;
    }
  `,
  template: `
    <app-field controlId="next" label="password.new">
      <input
        name="next"
        type="password"
        autocomplete="new-password"
        required
        minlength="10"
        [(ngModel)]="value"
      />
    </app-field>
    @if (error()) {
      <p class="error" role="alert">{{ error() | translate }}</p>
    }
    <button type="submit">{{ 'password.submit' | translate }}</button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewPassword {
  readonly value = model('');
  /** Translation key of why the password was not changed. */
  readonly error = input<string | null>(null);
}
