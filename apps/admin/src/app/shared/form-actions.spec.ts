import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { provideTranslateService } from '@ngx-translate/core';
import { FormActions } from './form-actions';
import { FormState } from './form-state';

@Component({
  imports: [ReactiveFormsModule, FormActions],
  template: `
    <form [formGroup]="form">
      <app-form-actions [state]="state" saveLabel="x.save" [savedNotice]="notice()" [disabled]="off()">
        <button type="button">More</button>
      </app-form-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly notice = input<string>();
  readonly off = input(false);
  readonly form = new FormGroup({ name: new FormControl('') });
  readonly state = new FormState(this.form, { fixFields: 'x.fix', failure: () => 'x.failed' });
}

describe('form actions', () => {
  const setUp = (inputs: Record<string, unknown> = {}) => {
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Host);
    for (const [key, value] of Object.entries(inputs)) fixture.componentRef.setInput(key, value);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    const render = () => {
      fixture.detectChanges();
      return element;
    };
    return { state: fixture.componentInstance.state, render, fixture };
  };

  it('ends the form with the submit button, then what the form adds', () => {
    const { render } = setUp();
    const buttons = [...render().querySelectorAll('.actions button')] as HTMLButtonElement[];
    expect(buttons.map((b) => [b.type, b.className, b.textContent?.trim()])).toEqual([
      ['submit', 'primary', 'x.save'],
      ['button', '', 'More'],
    ]);
    expect(buttons[0].disabled).toBe(false);
    expect(render().querySelector('[role="alert"]')).toBeNull();
    expect(render().querySelector('[role="status"]')).toBeNull();
  });

  it('turns the submit button off while busy or when the form says so', () => {
    const { state, render, fixture } = setUp();
    const submit = () => render().querySelector('button[type="submit"]') as HTMLButtonElement;
    state.busy.set(true);
    expect(submit().disabled).toBe(true);
    state.busy.set(false);
    expect(submit().disabled).toBe(false);
    fixture.componentRef.setInput('off', true);
    expect(submit().disabled).toBe(true);
  });

  it('shows the alert of a refused save, and the saved notice only where the form has one', () => {
    const { state, render, fixture } = setUp();
    state.serverError.set('x.failed');
    state.saved.set(true);
    const alert = render().querySelector('p.error[role="alert"]');
    expect(alert?.textContent).toBe('x.failed');
    expect(render().querySelector('[role="status"]')).toBeNull();

    fixture.componentRef.setInput('notice', 'x.saved');
    expect(render().querySelector('p.notice[role="status"]')?.textContent).toBe('x.saved');
    state.saved.set(false);
    expect(render().querySelector('[role="status"]')).toBeNull();
  });
});
