import type { BusinessHours } from '@chorus/protocol'

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The weekday (0 = Sunday) and minute of the day at `at` in `timezone`. */
function localTime(at: Date, timezone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {})
  return { day: weekdays.indexOf(parts.weekday ?? ''), minute: Number(parts.hour) * 60 + Number(parts.minute) }
}

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/**
 * Whether people answer at `at`. A window that ends before it starts runs over midnight
 * (22:00–06:00) and belongs to the day it starts on. Null hours: always open.
 */
export function withinBusinessHours(hours: BusinessHours | null, at = new Date()): boolean {
  if (!hours) return true
  const { day, minute } = localTime(at, hours.timezone)
  const start = minutes(hours.start)
  const end = minutes(hours.end)
  if (start < end) return hours.days.includes(day) && minute >= start && minute < end
  // Over midnight: the evening part today, or the morning part of a window that started yesterday.
  return (hours.days.includes(day) && minute >= start) || (hours.days.includes((day + 6) % 7) && minute < end)
}

/** "09:00–18:00 (Asia/Shanghai)", for telling users when someone is there. */
export function describeBusinessHours(hours: BusinessHours): string {
  return `${hours.start}–${hours.end} (${hours.timezone})`
}
