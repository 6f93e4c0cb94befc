/** What a shared URL restores. */
export interface UrlState {
  /** The open tab (null: the default, the tape). */
  tab: string | null;
  preset: string | null;
  code: string | null;
}

const toBase64Url = (s: string): string => {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64Url = (s: string): string => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
};

/** `#tab=train&preset=fxy&code=<base64url utf-8>`; code is left out when it equals the preset's. */
export function encodeHash(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.tab) params.set('tab', state.tab);
  if (state.preset) params.set('preset', state.preset);
  if (state.code !== null) params.set('code', toBase64Url(state.code));
  return `#${params.toString()}`;
}

/** The inverse of `encodeHash`; a malformed `code` reads as none. */
export function decodeHash(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  let code: string | null = null;
  const raw = params.get('code');
  if (raw) {
    try {
      code = fromBase64Url(raw);
    } catch {
      code = null;
    }
  }
  return { tab: params.get('tab'), preset: params.get('preset'), code };
}
