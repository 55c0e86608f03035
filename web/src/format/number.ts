/** Numbers as Vietnamese people write them: dots between thousands ("1.250.000 đ"). */

/** A whole number with dots between thousands. */
export function formatInteger(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** An amount in đồng. */
export function formatVnd(n: number): string {
  return `${formatInteger(n)} đ`;
}
