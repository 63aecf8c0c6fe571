/** Who am I (function `whoami`), asked once and shared by the pages and the tab bar. */
import { call } from './gateway';
import type { Me } from './api';

let current: Promise<Me> | null = null;

export function loadMe(force = false): Promise<Me> {
  if (force || !current) {
    const asked = call<Me>('whoami');
    current = asked;
    asked.catch(() => {
      if (current === asked) current = null; // a failure is not cached: the next page asks again (a later ask stays)
    });
  }
  return current;
}

/** Forget the cached identity (H5 demo: another identity was picked). */
export function forgetMe(): void {
  current = null;
}
