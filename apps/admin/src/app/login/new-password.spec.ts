import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormsModule } from '@angular/forms';
import { provideTranslateService } from '@ngx-translate/core';
import { NewPassword } from './new-password';

@Component({
  imports: [FormsModule, NewPassword],
  template: `
    <form #f="ngForm" (ngSubmit)="submitted = next">
      <app-new-password [(value)]="next" [error]="error()" />
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  next = '';
  submitted: string | null = null;
  readonly error = signal<string | null>(null);
}

describe('new password', () => {
  it('binds the labelled password to the page, submits its form and shows its alert', async () => {
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const input = element.querySelector('input#next') as HTMLInputElement;
    expect(element.querySelector('label')?.getAttribute('for')).toBe('next');
    expect([input.type, input.name, input.autocomplete, input.required, input.minLength]).toEqual([
      'password',
      'next',
      'new-password',
      true,
      10,
    ]);
    expect(element.querySelector('[role="alert"]')).toBeNull();

    input.value = 'A-New-Pass-1';
    input.dispatchEvent(new Event('input'));
    (element.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    expect(fixture.componentInstance.submitted).toBe('A-New-Pass-1');

    fixture.componentInstance.error.set('errors.VALIDATION_FAILED');
    fixture.detectChanges();
    expect(element.querySelector('p.error[role="alert"]')?.textContent).toBe('errors.VALIDATION_FAILED');
  });
});
