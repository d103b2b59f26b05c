// Whether the US stock market's regular session is open: 9:30–16:00 New York time, Monday to Friday.
// Exchange holidays and half days are not known here: the status bar says "open" on them.

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 16 * 60;
const WEEKEND = new Set(['Sat', 'Sun']);

/** True from 9:30:00 up to (not including) 16:00:00 New York time on weekdays; DST comes from Intl. */
export function isRegularSession(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  let weekday = '';
  let minute = 0;
  for (const part of NEW_YORK.formatToParts(ms)) {
    if (part.type === 'weekday') weekday = part.value;
    else if (part.type === 'hour') minute += Number(part.value) * 60;
    else if (part.type === 'minute') minute += Number(part.value);
  }
  return !WEEKEND.has(weekday) && minute >= OPEN_MINUTE && minute < CLOSE_MINUTE;
}
