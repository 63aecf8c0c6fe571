import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { call, messageOf } from '@/services/gateway';
import type { Page } from '@/services/api';

/** A cursor-paged list from one cloud function: first page, more pages, refresh; loading and error. */
export function usePaged<T>(name: string, params: object) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState(false);
  // What the first page's answer carries besides the items (e.g. the ledger's counts).
  const [extra, setExtra] = useState<Record<string, unknown>>({});
  const seq = useRef(0);
  const lastKey = useRef('');
  const key = JSON.stringify(params);

  const reload = useCallback(async () => {
    const my = ++seq.current;
    if (lastKey.current !== key) {
      // Different filter: do not show the previous filter's items while loading.
      lastKey.current = key;
      setItems([]);
      setCursor(null);
      setLoaded(false);
    }
    setLoading(true);
    setError('');
    try {
      const page = await call<Page<T>>(name, JSON.parse(key) as object);
      if (my !== seq.current) return;
      setItems(page.items);
      setCursor(page.cursor);
      const { items: _items, cursor: _cursor, ...rest } = page as Page<T> & Record<string, unknown>;
      void _items;
      void _cursor;
      setExtra(rest);
      setLoaded(true);
    } catch (e) {
      if (my !== seq.current) return;
      setError(messageOf(e));
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }, [name, key]);

  const more = useCallback(async () => {
    if (!cursor || loadingMore || loading) return;
    const my = seq.current;
    setLoadingMore(true);
    try {
      const page = await call<Page<T>>(name, { ...(JSON.parse(key) as object), cursor });
      if (my !== seq.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.cursor);
    } catch (e) {
      if (my === seq.current) setError(messageOf(e));
    } finally {
      setLoadingMore(false);
    }
  }, [name, key, cursor, loadingMore, loading]);

  // First page on mount and whenever the parameters change.
  useEffect(() => {
    void reload();
  }, [reload]);

  return { items, cursor, extra, loading: loading && !loaded, refreshing: loading, loadingMore, error, loaded, reload, more };
}

/** Run `fn` when the page is shown again (coming back from another page), not on the first show. */
export function useReshow(fn: () => void): void {
  const first = useRef(true);
  useDidShow(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    fn();
  });
}

/**
 * A page that shows one paged list: pull down reloads, reaching the bottom loads more and, with
 * `reshow`, coming back to the page reloads.
 */
export function usePagedPage<T>(name: string, params: object, opts: { reshow?: boolean } = {}) {
  const list = usePaged<T>(name, params);
  useReshow(() => {
    if (opts.reshow) void list.reload();
  });
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return list;
}
