import Taro from '@tarojs/taro';
import { chinaDay, chinaTime } from '@/core';
import { messageOf } from '@/services/gateway';

/** A UTC ISO instant shown in China time wherever the phone is (core dates.ts), e.g. `11月23日 14:05`. */
export function formatTime(iso: string | null | undefined): string {
  return chinaTime(iso, 'time');
}

/** A China calendar day (YYYY-MM-DD) as `11月30日`. */
export function formatDay(day: string | null | undefined): string {
  return chinaDay(day);
}

export function toastOk(title: string): void {
  void Taro.showToast({ title, icon: 'success', duration: 1500 });
}

export function toastError(e: unknown): void {
  void Taro.showToast({ title: messageOf(e), icon: 'none', duration: 3000 });
}

/** A timeline note in plain words: every YYYY-MM-DD inside becomes `11月30日`. */
export function plainNote(note: string): string {
  return note.replace(/(\d{4})-(\d{2})-(\d{2})/g, (_m, _y: string, mo: string, d: string) => `${Number(mo)}月${Number(d)}日`);
}

/** A UTC ISO instant with the weekday, in China time, e.g. `11月23日 周日 14:05`. */
export function formatWhen(iso: string | null | undefined): string {
  return chinaTime(iso, 'when');
}
