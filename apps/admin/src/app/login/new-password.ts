import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { ControlContainer, FormsModule, NgForm } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';

/**
 * The end of a password form (first-login change, emailed reset): the new password, the alert of a
 * refused change and the submit button. It stays a control of the enclosing `ngForm`:
 * `<app-new-password [(value)]="next" [error]="error()" />`.
 */
@Component({
  selector: 'app-new-password',
  imports: [FormsModule, TranslatePipe],
  viewProviders: [{ provide: ControlContainer, useExisting: NgForm }],
  styleUrl: './login.css',
  styles: `
    :host {
      display: contents;
    }
  `,
  template: `
    <label for="next">{{ 'password.new' | translate }}</label>
    <input
      id="next"
      name="next"
      type="password"
      autocomplete="new-password"
      required
      minlength="10"
      [(ngModel)]="value"
    />
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
