// Text helpers shared by forms.

/** Length as the server counts it: Unicode characters (code points), not UTF-16 units. */
export function charCount(s: string | null | undefined): number {
  if (!s) return 0;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export type Counter = {
  count: number;
  max: number;
  /** "12 / 500" */
  label: string;
  /** Over the limit: the server would refuse it. */
  over: boolean;
  /** Within 10 % of the limit. */
  near: boolean;
  /** For screen readers: "488 characters left" / "1 character too many". */
  spoken: string;
};

export function counter(s: string | null | undefined, max: number): Counter {
  const count = charCount(s);
  const left = max - count;
  const over = left < 0;
  const plural = (n: number) => (Math.abs(n) === 1 ? 'character' : 'characters');
  return {
    count,
    max,
    label: `${count} / ${max}`,
    over,
    near: !over && left <= Math.ceil(max / 10),
    spoken: over ? `${-left} ${plural(left)} too many` : `${left} ${plural(left)} left`,
  };
}

/** Splits pasted text into chips: commas and new lines separate; blanks and case-insensitive
 * duplicates (also of `existing`) are dropped. */
export function splitChips(input: string, existing: string[] = []): string[] {
  const seen = new Set(existing.map((e) => e.trim().toLowerCase()));
  const out: string[] = [];
  for (const raw of input.split(/[,\n]/)) {
    const v = raw.trim();
    const k = v.toLowerCase();
    if (!v || seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

/** A crude but safe e-mail shape check for instant feedback; the server has the final say. */
export function looksLikeEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}
