import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { provideTranslateService } from '@ngx-translate/core';
import { FormField } from './field';
import { type Message, message } from './message';

@Component({
  imports: [ReactiveFormsModule, FormField],
  template: `
    <app-field controlId="thing-name" label="x.name" [hint]="hint()" [error]="error()">
      <input [formControl]="name" />
    </app-field>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly hint = input<string | null>(null);
  readonly error = input<Message | string | null>(null);
  readonly name = new FormControl('');
}

@Component({
  imports: [FormField],
  template: `
    <app-field controlId="pin" label="x.pin" [hint]="hint">
      <input type="password" />
    </app-field>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Unvalidated {
  readonly hint = message('x.pin-hint', { min: 4 });
}

describe('field', () => {
  const setUp = () => {
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Host);
    const render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      const element = fixture.nativeElement as HTMLElement;
      return {
        label: element.querySelector('label'),
        control: element.querySelector('input') as HTMLInputElement,
        hint: element.querySelector('p.hint'),
        error: element.querySelector('p.field-error'),
      };
    };
    return { fixture, render };
  };

  it('labels the projected control and describes it by its (empty) error line', async () => {
    const { render } = setUp();
    const { label, control, hint, error } = await render();
    expect(label?.htmlFor).toBe('thing-name');
    expect(label?.textContent).toBe('x.name');
    expect(control.id).toBe('thing-name');
    expect(control.getAttribute('aria-describedby')).toBe('thing-name-error');
    expect(control.getAttribute('aria-invalid')).toBe('false');
    expect(hint).toBeNull();
    expect(error?.id).toBe('thing-name-error');
    expect(error?.textContent).toBe('');
  });

  it('has no error line nor aria-invalid where the form states no errors by field', async () => {
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Unvalidated);
    fixture.detectChanges();
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const control = element.querySelector('input') as HTMLInputElement;
    expect(element.querySelector('label')?.htmlFor).toBe('pin');
    expect(control.id).toBe('pin');
    expect(control.getAttribute('aria-describedby')).toBe('pin-hint');
    expect(control.hasAttribute('aria-invalid')).toBe(false);
    expect(element.querySelector('p.field-error')).toBeNull();
    expect(element.querySelector('p.hint')?.textContent).toBe('x.pin-hint');
  });

  it('says the hint, then the error, and marks the control invalid while there is one', async () => {
    const { fixture, render } = setUp();
    fixture.componentRef.setInput('hint', 'x.hint');
    fixture.componentRef.setInput('error', message('x.too-long', { max: 5 }));
    let field = await render();
    expect(field.hint?.textContent).toBe('x.hint');
    expect(field.hint?.id).toBe('thing-name-hint');
    expect(field.control.getAttribute('aria-describedby')).toBe('thing-name-hint thing-name-error');
    expect(field.control.getAttribute('aria-invalid')).toBe('true');
    expect(field.error?.textContent).toBe('x.too-long');

    fixture.componentRef.setInput('error', null);
    field = await render();
    expect(field.control.getAttribute('aria-invalid')).toBe('false');
    expect(field.error?.textContent).toBe('');
  });
});
