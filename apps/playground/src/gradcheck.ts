import * as tg from 'tapegrad';
import type { Tensor } from 'tapegrad';
import {
  compileUserCode,
  disposingNewVariables,
  errorMessage,
  withCapturedConsole,
} from './user-code.js';

/** One input of the checked function. */
export interface GradcheckRow {
  label: string;
  shape: number[];
  maxAbsError: number;
  maxRelError: number;
  ok: boolean;
}

export interface GradcheckOutcome {
  ok: boolean;
  /** Precision of the finite differences: float64 where the backend has it. */
  dtype: 'float64' | 'float32';
  rows: GradcheckRow[];
  error: string | null;
}

/**
 * Runs the code with its inputs (the tensors it marks with `requiresGrad_()` or makes with
 * `tg.variable`, in call order) swapped for `substitute(k, made)`; returns the output.
 */
function runWithInputs(
  code: string,
  substitute: (k: number, made: Tensor) => Tensor,
  label: (t: Tensor, name: string) => Tensor = (t) => t,
): Tensor {
  const fn = compileUserCode(code);
  let k = 0;
  const proto = tg.Tensor.prototype;
  const requiresGrad = proto.requiresGrad_;
  proto.requiresGrad_ = function (this: Tensor, ...args: Parameters<Tensor['requiresGrad_']>) {
    return substitute(k++, requiresGrad.apply(this, args));
  };
  const scope = {
    ...tg,
    variable: (...args: Parameters<typeof tg.variable>) => substitute(k++, tg.variable(...args)),
  };
  try {
    const out = withCapturedConsole([], () => fn(scope as typeof tg, label));
    if (!(out instanceof tg.Tensor)) throw new Error('the code must return the output tensor');
    return out;
  } finally {
    proto.requiresGrad_ = requiresGrad;
  }
}

/**
 * Compares the code's autodiff gradients with central finite differences (core's `gradCheck`),
 * per input, as a function of its inputs.
 */
export function gradcheckCode(code: string): GradcheckOutcome {
  const dtype = tg.getDefaultEngine().backend.dtypes.includes('float64') ? 'float64' : 'float32';
  try {
    return disposingNewVariables(() =>
      tg.tidy(() => {
        const inputs: Tensor[] = [];
        const names = new Map<Tensor, string>();
        runWithInputs(
          code,
          (_, made) => {
            inputs.push(made);
            return made;
          },
          (t, name) => {
            names.set(t, name);
            return t;
          },
        );
        if (inputs.length === 0) {
          throw new Error(
            'gradcheck: the code has no inputs (mark them with requiresGrad_() or make them with tg.variable)',
          );
        }
        const starts = inputs.map((t) => tg.tensor(Array.from(t.dataSync(), Number), [...t.shape]));
        const report = tg.gradCheck((...xs) => runWithInputs(code, (k) => xs[k]!), starts, {
          dtype,
        });
        const rows = report.inputs.map((r) => {
          const t = inputs[r.index]!;
          return {
            label: names.get(t) ?? (t instanceof tg.Variable ? t.name : `input ${r.index}`),
            shape: [...t.shape],
            maxAbsError: r.maxAbsError,
            maxRelError: r.maxRelError,
            ok: r.ok,
          };
        });
        return { ok: report.ok, dtype, rows, error: null };
      }),
    );
  } catch (e) {
    return { ok: false, dtype, rows: [], error: errorMessage(e) };
  }
}

/** The outcome as a table (input, shape, max abs / rel error, pass/fail). */
export function renderGradcheck(container: HTMLElement, outcome: GradcheckOutcome): void {
  if (outcome.error) {
    container.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'fail';
    p.textContent = outcome.error;
    container.append(p);
    return;
  }
  const table = document.createElement('table');
  table.className = 'gradcheck';
  const head = table.createTHead().insertRow();
  for (const h of ['input', 'shape', 'max abs error', 'max rel error', '']) {
    head.append(Object.assign(document.createElement('th'), { textContent: h }));
  }
  const body = table.createTBody();
  for (const r of outcome.rows) {
    const row = body.insertRow();
    row.dataset.label = r.label;
    const cells = [
      r.label,
      `[${r.shape.join(',')}]`,
      r.maxAbsError.toExponential(2),
      r.maxRelError.toExponential(2),
      r.ok ? 'pass' : 'FAIL',
    ];
    for (const c of cells) row.insertCell().textContent = c;
    row.lastElementChild!.className = r.ok ? 'pass' : 'fail';
  }
  const caption = table.createCaption();
  caption.textContent = `${outcome.ok ? 'pass' : 'FAIL'} (central differences in ${outcome.dtype})`;
  caption.className = outcome.ok ? 'pass' : 'fail';
  container.replaceChildren(table);
}
