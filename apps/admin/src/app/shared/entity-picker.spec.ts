import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { MemberDto, Page } from '@fabomatic/contracts';
import { provideTranslateService } from '@ngx-translate/core';
import { idOf, PICKER_DEBOUNCE_MS } from './entity-picker';
import { MemberPicker } from './member-picker';

function member(id: number, name: string, surname: string, email: string | null = null): MemberDto {
  return { id, name, surname, email, cardUid: null } as MemberDto;
}

const MARIO = member(7, 'Mario', 'Rossi', 'mario@example.org');
const MARIA = member(8, 'Maria', 'Rossini');
const MARCO = member(9, 'Marco', 'Rossetti');

function page(items: MemberDto[], total = items.length): Page<MemberDto> {
  return { items, total, page: 1, pageSize: 20 };
}

describe('member picker', () => {
  let fixture: ComponentFixture<MemberPicker>;
  let http: HttpTestingController;
  let chosen: (number | null)[];

  const host = () => fixture.nativeElement as HTMLElement;
  const input = () => host().querySelector('input[role="combobox"]') as HTMLInputElement;
  const options = () => [...host().querySelectorAll('[role="option"]')] as HTMLElement[];
  const note = () => (host().querySelector('[role="status"]') as HTMLElement).textContent?.trim();
  /** Lets signals, effects, resources and the DOM catch up. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      TestBed.tick();
    }
  };
  const type = async (text: string) => {
    input().value = text;
    input().dispatchEvent(new Event('input'));
    await settle();
  };
  const press = async (key: string) => {
    const event = new KeyboardEvent('keydown', { key, cancelable: true, bubbles: true });
    input().dispatchEvent(event);
    await settle();
    return event;
  };
  /** Types, lets the debounce pass and answers the one search it sends. */
  const search = async (text: string, items: MemberDto[], total?: number) => {
    await type(text);
    vi.advanceTimersByTime(PICKER_DEBOUNCE_MS);
    await settle();
    http.expectOne((r) => r.url === '/api/members').flush(page(items, total));
    await settle();
  };

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideTranslateService()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MemberPicker);
    fixture.componentRef.setInput('label', 'Member');
    chosen = [];
    fixture.componentInstance.value.subscribe((id) => chosen.push(id));
    await settle();
  });

  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  it('is a labelled combobox controlling a listbox', () => {
    const label = host().querySelector('label') as HTMLLabelElement;
    expect(label.textContent?.trim()).toBe('Member');
    expect(label.htmlFor).toBe(input().id);
    const listbox = host().querySelector('[role="listbox"]') as HTMLElement;
    expect(input().getAttribute('aria-controls')).toBe(listbox.id);
    expect(input().getAttribute('aria-expanded')).toBe('false');
  });

  it('searches once typing pauses, for the first 20 matches by name', async () => {
    await type('r');
    await type('ro');
    await type('ros');
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(note()).toBe('picker.searching');
    vi.advanceTimersByTime(PICKER_DEBOUNCE_MS - 1);
    await settle();
    http.expectNone((r) => r.url === '/api/members');

    vi.advanceTimersByTime(1);
    await settle();
    const request = http.expectOne((r) => r.url === '/api/members');
    expect(request.request.params.get('q')).toBe('ros');
    expect(request.request.params.get('pageSize')).toBe('20');
    expect(request.request.params.get('sort')).toBe('name');
    request.flush(page([MARIO, MARIA], 45));
    await settle();

    expect(options().map((o) => o.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Mario Rossi mario@example.org',
      'Maria Rossini',
    ]);
    expect(note()).toBe('picker.more');
  });

  it('says so when nothing matches', async () => {
    await search('zzz', []);
    expect(options()).toEqual([]);
    expect(note()).toBe('picker.no-match');
  });

  it('moves through the options with the arrows, wrapping, and chooses with Enter', async () => {
    await search('ros', [MARIO, MARIA, MARCO]);
    expect(input().hasAttribute('aria-activedescendant')).toBe(false);

    await press('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0].id);
    expect(options()[0].getAttribute('aria-selected')).toBe('true');
    await press('ArrowDown');
    await press('ArrowDown');
    await press('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0].id);
    await press('ArrowUp');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[2].id);
    expect(options()[0].getAttribute('aria-selected')).toBe('false');

    const enter = await press('Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(chosen).toEqual([MARCO.id]);
    expect(input().value).toBe('Marco Rossetti');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(input().hasAttribute('aria-activedescendant')).toBe(false);
  });

  it('leaves Enter to the form while the list is closed', async () => {
    const enter = await press('Enter');
    expect(enter.defaultPrevented).toBe(false);
    expect(chosen).toEqual([]);
  });

  it('opens with ArrowDown, listing the first members without a search text', async () => {
    await press('ArrowDown');
    const request = http.expectOne((r) => r.url === '/api/members');
    expect(request.request.params.has('q')).toBe(false);
    request.flush(page([MARIO]));
    await settle();
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(options()).toHaveLength(1);
  });

  it('closes with Escape, keeping the choice and dropping what was typed', async () => {
    await search('mario', [MARIO]);
    await press('ArrowDown');
    await press('Enter');
    await type('something else');
    const escape = await press('Escape');
    expect(escape.defaultPrevented).toBe(true);
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(input().value).toBe('Mario Rossi');
    expect(chosen).toEqual([MARIO.id]);
  });

  it('puts the choice back on Escape even when typing and Escape fall within one frame', async () => {
    await search('mario', [MARIO]);
    await press('ArrowDown');
    await press('Enter');
    // Typed and escaped before the page renders again: the bound text goes chosen → chosen.
    input().value = 'Otto';
    input().dispatchEvent(new Event('input'));
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true, bubbles: true }));
    await settle();
    expect(input().value).toBe('Mario Rossi');
    expect(chosen).toEqual([MARIO.id]);
  });

  it('chooses with the mouse, and the clear button empties the choice', async () => {
    await search('ros', [MARIO, MARIA]);
    const option = options()[1];
    const down = new MouseEvent('mousedown', { cancelable: true, bubbles: true });
    option.dispatchEvent(down);
    // The input keeps the focus, so leaving it does not close the list before the click.
    expect(down.defaultPrevented).toBe(true);
    option.click();
    await settle();
    expect(chosen).toEqual([MARIA.id]);
    expect(input().value).toBe('Maria Rossini');

    (host().querySelector('button.clear') as HTMLButtonElement).click();
    await settle();
    expect(chosen).toEqual([MARIA.id, null]);
    expect(input().value).toBe('');
    expect(host().querySelector('button.clear')).toBeNull();
  });

  it('clears the choice when its text is erased and the field left', async () => {
    fixture.componentRef.setInput('value', MARIO.id);
    await settle();
    http.expectOne('/api/members/7').flush(MARIO);
    await settle();
    await type('');
    input().dispatchEvent(new Event('blur'));
    await settle();
    expect(chosen).toEqual([null]);
    expect(input().value).toBe('');
  });

  it('fetches the label of an id it was given, and submits the id in a form', async () => {
    fixture.componentRef.setInput('name', 'memberId');
    fixture.componentRef.setInput('value', 42);
    await settle();
    http.expectOne('/api/members/42').flush(member(42, 'Giulia', 'Bianchi'));
    await settle();
    expect(input().value).toBe('Giulia Bianchi');
    const hidden = host().querySelector('input[type="hidden"]') as HTMLInputElement;
    expect(hidden.name).toBe('memberId');
    expect(hidden.value).toBe('42');
    // A member chosen in the list needs no second request for its label.
    await search('mario', [MARIO]);
    await press('ArrowDown');
    await press('Enter');
    expect(hidden.value).toBe('7');
    expect(input().value).toBe('Mario Rossi');
  });

  it('shows the id of a member that cannot be loaded', async () => {
    fixture.componentRef.setInput('value', 99);
    await settle();
    http.expectOne('/api/members/99').flush(null, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(input().value).toBe('#99');
  });
});

describe('id from a URL param', () => {
  it('takes positive integers only', () => {
    expect(idOf('42')).toBe(42);
    expect(idOf(undefined)).toBeNull();
    expect(idOf('')).toBeNull();
    expect(idOf('0')).toBeNull();
    expect(idOf('4.5')).toBeNull();
    expect(idOf('abc')).toBeNull();
  });
});
