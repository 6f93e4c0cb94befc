/** A tab of the playground; views build their DOM when first shown. */
export interface TabView {
  show(): void;
  hide(): void;
  /** The backend changed: rebuild models and tensors on it (same seed, same results). */
  backendChanged(): void;
}

export const tabIds = ['tape', 'train', 'mnist', 'race'] as const;
export type TabId = (typeof tabIds)[number];

export const isTabId = (id: string | null): id is TabId =>
  id !== null && (tabIds as readonly string[]).includes(id);
