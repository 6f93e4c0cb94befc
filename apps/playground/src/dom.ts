/** Small DOM builders shared by the tabs' control panels. */

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const { dataset, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(e.dataset, dataset);
  e.append(...children);
  return e;
}

/** A labelled <select> in a `.controls` grid; calls `onChange` with the chosen value. */
export function selectControl<T extends string>(
  grid: HTMLElement,
  id: string,
  label: string,
  options: readonly T[],
  value: T,
  onChange: (value: T) => void,
): HTMLSelectElement {
  const select = h('select', { id });
  for (const o of options) select.append(new Option(o, o));
  select.value = value;
  select.addEventListener('change', () => onChange(select.value as T));
  grid.append(h('label', { htmlFor: id, textContent: label }), select);
  return select;
}

/** A labelled number input in a `.controls` grid; invalid entries are ignored. */
export function numberControl(
  grid: HTMLElement,
  id: string,
  label: string,
  value: number,
  range: { min: number; max: number; step: number },
  onChange: (value: number) => void,
): HTMLInputElement {
  const input = h('input', {
    id,
    type: 'number',
    value: String(value),
    min: String(range.min),
    max: String(range.max),
    step: String(range.step),
  });
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (Number.isFinite(v) && v >= range.min && v <= range.max) onChange(v);
  });
  grid.append(h('label', { htmlFor: id, textContent: label }), input);
  return input;
}

/**
 * Calls `frame` on animation frames until it resolves to false or `stop()` is called; an
 * asynchronous frame finishes before the next one is requested. A frame that throws stops the
 * loop and is passed to `onError`.
 */
export function animate(
  frame: () => boolean | Promise<boolean>,
  onError: (e: unknown) => void = (e) => console.error(e),
): { stop(): void } {
  let handle = 0;
  let running = true;
  const tick = async () => {
    if (!running) return;
    try {
      if ((await frame()) && running) handle = requestAnimationFrame(() => void tick());
      else running = false;
    } catch (e) {
      running = false;
      onError(e);
    }
  };
  handle = requestAnimationFrame(() => void tick());
  return {
    stop() {
      running = false;
      cancelAnimationFrame(handle);
    },
  };
}
