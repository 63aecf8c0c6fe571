import { Text } from '@tarojs/components';
import { chinaDate } from '@/core';

/** Whole days from `today` to `day` (both YYYY-MM-DD; negative when `day` is past). */
export function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The countdown to a promised day, in China time: 还剩 3 天 / 今天到期 / 已逾期 2 天. */
export function countdown(promisedBy: string, now: Date = new Date()): { text: string; late: boolean; soon: boolean } {
  const n = daysBetween(chinaDate(now), promisedBy);
  if (n < 0) return { text: `已逾期 ${-n} 天`, late: true, soon: false };
  if (n === 0) return { text: '今天到期', late: false, soon: true };
  return { text: `还剩 ${n} 天`, late: false, soon: n <= 3 };
}

export function Countdown(props: { promisedBy: string; now?: Date }) {
  const c = countdown(props.promisedBy, props.now);
  return <Text className={`badge countdown${c.late ? ' badge-late overdue' : c.soon ? ' badge-soon' : ''}`}>{c.text}</Text>;
}
