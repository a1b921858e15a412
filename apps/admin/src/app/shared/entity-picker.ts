import { httpResource } from '@angular/common/http';
import { computed, DestroyRef, Directive, ElementRef, inject, input, model, signal } from '@angular/core';
import type { Page } from '@fabomatic/contracts';

/** The most results a picker offers at once: typing more narrows them. */
export const PICKER_PAGE_SIZE = 20;
/** How long typing must pause before the picker asks the API. */
export const PICKER_DEBOUNCE_MS = 250;

/** Where a picker finds its items and how it shows them. */
export interface PickerSource<T> {
  /** The list endpoint (`?q=&pageSize=&sort=name`); `url/:id` is one item. */
  readonly url: string;
  label(item: T): string;
  /** A second, smaller text telling apart items with the same label (an email, a topic id). */
  detail(item: T): string | null;
  /** A translation key showing the detail as its `{{value}}` (e.g. "Topic id {{value}}"). */
  readonly detailKey?: string;
  /** A mark worth seeing before choosing (e.g. "has board …"): a translation key and its params. */
  mark?(item: T): PickerMark | null;
}

export interface PickerMark {
  readonly key: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The id in a URL query param (`?memberId=42`), or null when there is none or it is not an id. */
export function idOf(value: string | null | undefined): number | null {
  const id = Number(value);
  return value && Number.isInteger(id) && id > 0 ? id : null;
}

let instances = 0;

/**
 * A typeahead choosing one item among thousands: an ARIA combobox whose listbox shows the first
 * {@link PICKER_PAGE_SIZE} matches of what is typed, searched by the API. `value` is the chosen id
 * (two-way bindable); with a `name`, a hidden input carries it in the surrounding form's data.
 * Given an id whose label it does not know (a filter restored from the URL), it fetches the item.
 */
@Directive()
export abstract class EntityPicker<T extends { readonly id: number }> {
  /** The visible label, already translated. */
  readonly label = input.required<string>();
  readonly value = model<number | null>(null);
  /** The form field name the chosen id is submitted as. */
  readonly name = input<string>();
  /** Shown while nothing is chosen (e.g. "Any" in a filter). */
  readonly placeholder = input<string>();
  readonly required = input(false);

  protected abstract readonly source: PickerSource<T>;
  protected readonly uid = `picker-${++instances}`;
  protected readonly open = signal(false);
  /** The index of the option the keyboard is on, -1 for none. */
  protected readonly active = signal(-1);
  /** What is being typed; null while the input shows the chosen item. */
  protected readonly draft = signal<string | null>(null);
  /** True from a keystroke until its search is sent. */
  protected readonly typing = signal(false);
  /** The search sent to the API; null while the list is closed. */
  private readonly term = signal<string | null>(null);
  /** The last item chosen here, so its label needs no request. */
  private readonly chosen = signal<{ readonly id: number; readonly label: string } | null>(null);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly results = httpResource<Page<T>>(() => {
    const term = this.term();
    if (term === null) return undefined;
    return {
      url: this.source.url,
      params: { ...(term ? { q: term } : {}), pageSize: PICKER_PAGE_SIZE, sort: 'name' },
    };
  });
  protected readonly lookup = httpResource<T>(() => {
    const id = this.value();
    return id === null || this.chosen()?.id === id ? undefined : `${this.source.url}/${id}`;
  });

  protected readonly loading = computed(() => this.typing() || this.results.isLoading());
  protected readonly items = computed(() =>
    !this.loading() && this.results.hasValue() ? this.results.value().items : [],
  );
  protected readonly total = computed(() => (this.results.hasValue() ? this.results.value().total : 0));
  protected readonly selectedLabel = computed(() => {
    const id = this.value();
    if (id === null) return '';
    const chosen = this.chosen();
    if (chosen?.id === id) return chosen.label;
    if (this.lookup.hasValue() && this.lookup.value().id === id)
      return this.source.label(this.lookup.value());
    return this.lookup.error() ? `#${id}` : '';
  });
  /** The input's text: what is typed, else the chosen item. */
  protected readonly text = computed(() => this.draft() ?? this.selectedLabel());
  protected readonly activeId = computed(() =>
    this.open() && this.active() >= 0 ? this.optionId(this.active()) : null,
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected optionId(index: number): string {
    return `${this.uid}-option-${index}`;
  }

  protected itemLabel(item: T): string {
    return this.source.label(item);
  }

  protected itemDetail(item: T): string | null {
    return this.source.detail(item);
  }

  protected detailKey(): string | undefined {
    return this.source.detailKey;
  }

  protected itemMark(item: T): PickerMark | null {
    return this.source.mark?.(item) ?? null;
  }

  /** A keystroke: the list opens and is searched once typing pauses. */
  protected typed(text: string): void {
    this.draft.set(text);
    this.active.set(-1);
    this.open.set(true);
    this.typing.set(true);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.typing.set(false);
      this.term.set(text.trim());
    }, PICKER_DEBOUNCE_MS);
  }

  /** Opens the list at once, with the matches of what is typed (all items when nothing is). */
  protected show(): void {
    if (this.open()) return;
    this.open.set(true);
    this.active.set(-1);
    this.term.set((this.draft() ?? '').trim());
  }

  protected keydown(event: KeyboardEvent): void {
    const count = this.items().length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        if (!this.open()) {
          this.show();
          return;
        }
        if (count === 0) return;
        const current = this.active();
        const next =
          event.key === 'ArrowDown' ? (current + 1) % count : current <= 0 ? count - 1 : current - 1;
        this.active.set(next);
        this.host.nativeElement
          .querySelector(`#${this.optionId(next)}`)
          ?.scrollIntoView?.({ block: 'nearest' });
        return;
      }
      case 'Enter': {
        // Closed, Enter is the form's (a filter form searches); open, it only chooses.
        if (!this.open()) return;
        event.preventDefault();
        const item = this.items()[this.active()];
        if (item) this.choose(item);
        return;
      }
      case 'Escape':
        if (this.open() || this.draft() !== null) {
          event.preventDefault();
          event.stopPropagation();
          this.close();
          // Typed and escaped within one frame, the bound text never changed as Angular saw it
          // (chosen → chosen): the field would keep what was typed. Put the choice back here.
          if (event.target instanceof HTMLInputElement) event.target.value = this.text();
        }
        return;
      default:
        return;
    }
  }

  /** Leaving the field: typing left unchosen is dropped, but emptied text clears the choice. */
  protected blurred(): void {
    const draft = this.draft();
    if (draft !== null && draft.trim() === '' && this.value() !== null) this.value.set(null);
    this.close();
  }

  protected choose(item: T): void {
    this.chosen.set({ id: item.id, label: this.source.label(item) });
    this.value.set(item.id);
    this.close();
  }

  protected clear(field: HTMLInputElement): void {
    if (this.value() !== null) this.value.set(null);
    this.close();
    field.focus();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.typing.set(false);
    this.open.set(false);
    this.active.set(-1);
    this.draft.set(null);
    this.term.set(null);
  }
}
