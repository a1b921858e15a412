/** Where the kiosk keeps its token on this device (the URL's fragment is cleared once read). */
export const KIOSK_TOKEN_KEY = 'fabomatic.kiosk-token';

/**
 * The kiosk token: from the URL fragment (`#token=…`, never sent to a server) when there is one,
 * then kept in localStorage, so the TV reopens the kiosk after a restart without the link.
 */
export function takeKioskToken(location: Pick<Location, 'hash'>, storage: Storage): string | null {
  const fromUrl = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromUrl) {
    storage.setItem(KIOSK_TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return storage.getItem(KIOSK_TOKEN_KEY);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Machines in natural name order ("Laser 2" before "Laser 10"). */
export function byNaturalName(a: { readonly name: string }, b: { readonly name: string }): number {
  return collator.compare(a.name, b.name);
}
