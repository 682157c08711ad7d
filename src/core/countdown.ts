/** Countdown text: what a timer shows every second, and the coarse milestones worth announcing. */

/** A number's digits, plainly and at least two of them. */
type DigitFormats = [{format(n: number): string}, {format(n: number): string}];

const digitFormats = new Map<string, DigitFormats>();

/**
 * Languages whose numbers are written in Latin digits in every region (CLDR's default numbering system):
 * their timers need no Intl formatter, whose first construction on a page costs tens of milliseconds on a
 * phone (issue 16). Any other language asks Intl.
 */
const LATIN_DIGITS = new Set(['en', 'fr', 'es', 'de', 'it', 'pt', 'nl', 'ja', 'zh', 'ko']);
const LATIN: DigitFormats = [{format: (n) => String(n)}, {format: (n) => String(n).padStart(2, '0')}];

/** Plain and two-digit number formats for `locale` (its own digits: Arabic-Indic where Intl says so). */
function digitsFor(locale: string): DigitFormats {
  if (LATIN_DIGITS.has(locale.split('-')[0].toLowerCase()) && !/-u-.*\bnu-/i.test(locale)) return LATIN;
  let formats = digitFormats.get(locale);
  if (!formats) {
    const make = (minimumIntegerDigits: number) => {
      try {
        return new Intl.NumberFormat(locale, {minimumIntegerDigits, useGrouping: false});
      } catch {
        return new Intl.NumberFormat('en', {minimumIntegerDigits, useGrouping: false}); // an unknown tag must not break a timer
      }
    };
    digitFormats.set(locale, (formats = [make(1), make(2)]));
  }
  return formats;
}

/**
 * "1:02:03", "4:05" or "0:09" for a whole number of seconds (negative reads as 0), in `locale`'s digits
 * ("٤:٠٥" in `ar`). Without a locale, Latin digits.
 */
export function formatDuration(wholeSeconds: number, locale = 'en'): string {
  const [plain, two] = digitsFor(locale);
  const total = Math.max(wholeSeconds, 0);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = two.format(total % 60);
  return hours ? `${plain.format(hours)}:${two.format(minutes)}:${seconds}` : `${plain.format(minutes)}:${seconds}`;
}

/** A countdown's text for a number of milliseconds left: rounded up, so "0:00" only when time is up. */
export function formatRemaining(ms: number, locale = 'en'): string {
  return formatDuration(Math.ceil(ms / 1000), locale);
}

/** Seconds left at which a countdown speaks, largest first. Never every second (WCAG 2.2.2). */
const MILESTONES = [3600, 1800, 600, 300, 60, 30, 10];

/** The milestone `ms` has passed (e.g. 60 for anything from 31 to 60 seconds left), or null above the first. */
export function milestoneFor(ms: number): number | null {
  const seconds = Math.ceil(ms / 1000);
  let reached: number | null = null;
  for (const milestone of MILESTONES) if (seconds <= milestone) reached = milestone;
  return reached;
}

/** Words for a milestone in `locale`: "1 hour", "10 minutes", "30 seconds" (Intl's unit names and plurals). */
export function describeMilestone(seconds: number, locale = 'en'): string {
  const [unit, value] = seconds >= 3600 ? ['hour', seconds / 3600] : seconds >= 60 ? ['minute', seconds / 60] : ['second', seconds];
  try {
    return new Intl.NumberFormat(locale, {style: 'unit', unit, unitDisplay: 'long'}).format(value);
  } catch {
    return new Intl.NumberFormat('en', {style: 'unit', unit, unitDisplay: 'long'}).format(value);
  }
}
