/** Rupiah are whole numbers everywhere in pesan; this is the one place that formats them. */
export function formatRupiah(amount: number): string {
  if (!Number.isInteger(amount)) throw new Error(`rupiah amount must be an integer, got ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const digits = Math.abs(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}Rp ${digits}`;
}

/** Parses "10000.00" / "10000" / 10000 from a gateway into integer rupiah; rejects fractions of a rupiah. */
export function parseRupiah(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not an amount: ${value}`);
  const rounded = Math.round(n);
  if (Math.abs(n - rounded) > 1e-9) throw new Error(`amount has fractions of a rupiah: ${value}`);
  return rounded;
}
