import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { CurrentUser, PortalAccess, ReportableMachineDto } from '@fabomatic/contracts';
import { provideTranslateService } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { ProblemReportForm } from './problem-report-form';

const MACHINES: ReportableMachineDto[] = [
  { machineId: 3, name: 'Laser', typeName: 'Cutters', mayDeclareOutOfOrder: true, outOfOrder: false },
  { machineId: 4, name: 'Lathe', typeName: null, mayDeclareOutOfOrder: false, outOfOrder: false },
  { machineId: 5, name: 'Printer', typeName: null, mayDeclareOutOfOrder: true, outOfOrder: true },
];

describe('the problem report form', () => {
  let fixture: ComponentFixture<ProblemReportForm>;
  let http: HttpTestingController;

  const host = () => fixture.nativeElement as HTMLElement;
  const $ = <T extends Element>(selector: string) => host().querySelector<T>(selector);
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      TestBed.tick();
    }
  };

  async function show(access: PortalAccess, machine: { machineId: number; name: string } | null = null) {
    const user = signal<CurrentUser>({
      id: 1,
      name: 'Mia',
      surname: 'Member',
      email: 'mia@example.org',
      access,
      language: 'en',
      mustChangePassword: false,
      hasPassword: true,
      hasCard: true,
    });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslateService(),
        provideRouter([]),
        { provide: Auth, useValue: { user } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProblemReportForm);
    if (machine) fixture.componentRef.setInput('machine', machine);
    await settle();
    if (!machine) {
      http.expectOne('/api/me/reportable-machines').flush(MACHINES);
      await settle();
    }
  }

  async function pick(machineId: number): Promise<void> {
    const select = $<HTMLSelectElement>('select')!;
    const index = [...select.options].findIndex((o) =>
      o.textContent?.includes(MACHINES.find((m) => m.machineId === machineId)!.name),
    );
    select.selectedIndex = index;
    select.dispatchEvent(new Event('change'));
    await settle();
  }

  async function type(text: string): Promise<void> {
    const area = $<HTMLTextAreaElement>('textarea')!;
    area.value = text;
    area.dispatchEvent(new Event('input'));
    await settle();
  }

  async function attach(file: File): Promise<void> {
    const input = $<HTMLInputElement>('input[type=file]')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the preview's FileReader
    await settle();
  }

  function submit(): Promise<void> {
    $<HTMLFormElement>('form')!.dispatchEvent(new Event('submit'));
    return settle();
  }

  afterEach(() => http.verify());

  it('lists the machines the member may report on, marking those already out of order', async () => {
    await show('member');
    const options = [...$<HTMLSelectElement>('select')!.options].map((o) => o.textContent?.trim());
    expect(options).toHaveLength(4);
    expect(options[1]).toContain('Laser · Cutters');
    expect(options[3]).toContain('problems.form.already-out');
    await pick(5);
    expect(host().textContent).toContain('problems.form.already-out-notice');
  });

  it('turns out of order off, saying why, where the machine type keeps it to staff', async () => {
    await show('member');
    const outOfOrder = () => $<HTMLInputElement>('input[type=radio][value="out-of-order"]')!;
    await pick(3);
    expect(outOfOrder().disabled).toBe(false);
    outOfOrder().click();
    await settle();
    expect(outOfOrder().checked).toBe(true);
    await pick(4);
    expect(outOfOrder().disabled).toBe(true);
    expect(outOfOrder().checked).toBe(false);
    expect($<HTMLInputElement>('input[type=radio][value="note"]')!.checked).toBe(true);
    expect(outOfOrder().getAttribute('aria-describedby')).toBe('out-of-order-why');
    expect($('#out-of-order-why')?.textContent).toContain('problems.form.out-of-order-staff-only');
  });

  it('sends nothing without a machine and a description, and says what is missing', async () => {
    await show('member');
    await type('   ');
    await submit();
    expect($('[role=alert]')?.textContent).toContain('problems.form.fix-fields');
    expect($('#problem-machine-error')?.textContent).toContain('machines.form-errors.required');
    expect($('#problem-description-error')?.textContent).toContain('machines.form-errors.required');
    expect($('textarea')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('counts the description’s characters', async () => {
    await show('member');
    await type('Smoke');
    expect($('#problem-description-hint')?.textContent).toContain('problems.form.counter');
  });

  it('refuses a photo too big or of another type, and previews a good one', async () => {
    await show('member');
    const input = $<HTMLInputElement>('input[type=file]')!;
    expect(input.accept).toBe('image/jpeg,image/png,image/webp');
    expect(input.getAttribute('capture')).toBe('environment');

    await attach(new File(['x'], 'doc.pdf', { type: 'application/pdf' }));
    expect($('#problem-photo-error')?.textContent).toContain('problems.photo.wrong-type');
    expect($('img.preview')).toBeNull();

    const big = new File(['x'], 'big.jpg', { type: 'image/jpeg' });
    Object.defineProperty(big, 'size', { value: 6 * 1024 * 1024 });
    await attach(big);
    expect($('#problem-photo-error')?.textContent).toContain('problems.photo.too-big');

    await attach(new File(['x'], 'ok.png', { type: 'image/png' }));
    expect($('#problem-photo-error')?.textContent?.trim()).toBe('');
    expect($<HTMLImageElement>('img.preview')?.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  });

  it('files an out-of-order report with its photo, then says what happens next', async () => {
    await show('member');
    await pick(3);
    $<HTMLInputElement>('input[type=radio][value="out-of-order"]')!.click();
    await type('  Smoke from the tube  ');
    await attach(new File(['x'], 'smoke.jpg', { type: 'image/jpeg' }));
    expect($('input[type=checkbox]')).toBeNull(); // no hard lock for members
    await submit();
    const sent = http.expectOne({ method: 'POST', url: '/api/problems' });
    const body = sent.request.body as FormData;
    expect(body.get('machineId')).toBe('3');
    expect(body.get('severity')).toBe('out-of-order');
    expect(body.get('description')).toBe('Smoke from the tube');
    expect(body.has('hardLock')).toBe(false);
    expect((body.get('photo') as File).name).toBe('smoke.jpg');
    expect($('progress')).not.toBeNull();
    sent.flush({ id: 9, machineId: 3, machineName: 'Laser', severity: 'out-of-order' });
    await settle();
    expect($('[role=status]')?.textContent).toContain('problems.form.next-out-of-order');
    expect($('a')?.getAttribute('href')).toBe('/me/problems');
  });

  it('lets a manager on the machine page lock the machine for everyone', async () => {
    await show('manager', { machineId: 3, name: 'Laser' });
    expect($('select')).toBeNull();
    expect(host().textContent).toContain('Laser');
    expect($('input[type=checkbox]')).toBeNull();
    $<HTMLInputElement>('input[type=radio][value="out-of-order"]')!.click();
    await settle();
    const lock = $<HTMLInputElement>('input[type=checkbox]')!;
    expect(lock.getAttribute('aria-describedby')).toBe('hard-lock-hint');
    lock.click();
    await type('Belt snapped');
    await submit();
    const body = http.expectOne({ method: 'POST', url: '/api/problems' }).request.body as FormData;
    expect(body.get('hardLock')).toBe('true');
    expect(body.get('machineId')).toBe('3');
  });

  it('gives read-only staff out of order but no hard lock', async () => {
    await show('read-only', { machineId: 4, name: 'Lathe' });
    $<HTMLInputElement>('input[type=radio][value="out-of-order"]')!.click();
    await settle();
    expect($<HTMLInputElement>('input[type=radio][value="out-of-order"]')!.disabled).toBe(false);
    expect($('input[type=checkbox]')).toBeNull();
  });
});
