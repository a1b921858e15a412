import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
} from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { type Message, MessagePipe } from './message';

/** The controls a field labels: the first one inside `<app-field>` is wired. */
const CONTROL = 'input, select, textarea';

/**
 * A labelled form control with its hint and its error: the control is projected, and gets the
 * field's id, `aria-describedby` (hint, then error) and `aria-invalid`. A field bound to `error`
 * (null when fine) always keeps its error line, so the form does not jump as errors come and go; one
 * that is not (a form that says what is wrong in its alert) has no error line and no `aria-invalid`.
 *
 * `<app-field controlId="machine-name" label="machines.form.name" hint="machines.form.name-hint"
 *   [error]="message('name')"><input formControlName="name" /></app-field>`
 *
 * In a form's column the label, control, hint and error are the form's own rows; `stacked` keeps them
 * together in one column of their own, for a row of fields (`.fields`, `.filters`).
 */
@Component({
  selector: 'app-field',
  imports: [TranslatePipe, MessagePipe],
  styleUrl: './page.css',
  host: { '[class.stacked]': 'stacked()' },
  styles: `
    :host {
      display: contents;
    }
    :host(.stacked) {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
    }
  `,
  template: `
    <label [for]="controlId()">{{ label() | translate: labelParams() }}</label>
    <ng-content />
    @if (hint()) {
      <p [id]="hintId()" class="hint">{{ hint() | message }}</p>
    }
    @if (error() !== undefined) {
      <p [id]="errorId()" class="field-error">{{ error() | message }}</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormField {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  /** Label above control as one item of a row of fields, rather than rows of the form's column. */
  readonly stacked = input(false);
  /** The id the control gets, and the stem of its hint's and error's ids. */
  readonly controlId = input.required<string>();
  /** Translation key of the label. */
  readonly label = input.required<string>();
  readonly labelParams = input<Readonly<Record<string, string | number>>>();
  /** A translation key (or a message with its values) said under the control. */
  readonly hint = input<Message | string | null>(null);
  /**
   * What is wrong with the value: a translation key or a message with its values; null when fine;
   * undefined (unbound) when the field states no errors of its own.
   */
  readonly error = input<Message | string | null | undefined>(undefined);

  protected readonly hintId = computed(() => `${this.controlId()}-hint`);
  protected readonly errorId = computed(() => `${this.controlId()}-error`);
  private readonly describedBy = computed(() =>
    [this.hint() ? this.hintId() : '', this.error() === undefined ? '' : this.errorId()]
      .filter(Boolean)
      .join(' '),
  );

  constructor() {
    afterRenderEffect({
      write: () => {
        const control = this.host.nativeElement.querySelector<HTMLElement>(CONTROL);
        if (!control) return;
        control.id = this.controlId();
        const describedBy = this.describedBy();
        if (describedBy) control.setAttribute('aria-describedby', describedBy);
        else control.removeAttribute('aria-describedby');
        if (this.error() === undefined) control.removeAttribute('aria-invalid');
        else control.setAttribute('aria-invalid', String(!!this.error()));
      },
    });
  }
}
