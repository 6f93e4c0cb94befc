/** Tiny assertion helpers: each prints ✓ or ✗ with the numbers, and failures set the exit code. */

let failures = 0;

export function fmt(values: ArrayLike<number>): string {
  return `[${Array.from(values, (v) => Number(v.toPrecision(6))).join(', ')}]`;
}

/** Checks values against expected, element by element, within tol. */
export function expectClose(
  label: string,
  actual: ArrayLike<number>,
  expected: readonly number[],
  tol = 1e-4,
): void {
  const ok =
    actual.length === expected.length &&
    expected.every((e, i) => Math.abs((actual[i] ?? NaN) - e) <= tol * Math.max(1, Math.abs(e)));
  if (!ok) failures++;
  console.log(
    `  ${ok ? '✓' : '✗'} ${label} = ${fmt(actual)}${ok ? '' : `, expected ${fmt(expected)}`}`,
  );
}

/** Checks a condition, printing its label. */
export function expectTrue(label: string, ok: boolean): void {
  if (!ok) failures++;
  console.log(`  ${ok ? '✓' : '✗'} ${label}`);
}

export function failureCount(): number {
  return failures;
}
