import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { call, messageOf } from '@/services/gateway';

/** One function's answer for a page: called when the page opens and on pull-down, with the error's message;
 * `load` calls again (a retry button). A new `event` (compared by value) calls again. */
export function useCalled<T>(name: string, event: object): { data: T | null; error: string; load: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const key = JSON.stringify(event);
  const load = useCallback(async () => {
    setError('');
    try {
      setData(await call<T>(name, JSON.parse(key) as object));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      Taro.stopPullDownRefresh();
    }
  }, [name, key]);
  useEffect(() => void load(), [load]);
  usePullDownRefresh(() => void load());
  return { data, error, load };
}
