import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { usePaged } from './usePaged';

function canGoBack(): boolean {
  try {
    return Taro.getCurrentPages().length > 1;
  } catch {
    return false;
  }
}

/** Back to where the person came from, or to the home page when this page was opened directly. */
function leave() {
  if (canGoBack()) void Taro.navigateBack();
  else void Taro.reLaunch({ url: '/pages/index/index' });
}

type EmptyAction = { label: string; className: string; onClick: () => void };

/** Loading / error / empty for a list. Renders nothing when the list has items and is idle. */
export function ListState(props: {
  loading: boolean;
  error: string;
  empty: boolean;
  emptyText: string;
  emptyAction?: EmptyAction;
  onRetry: () => void;
}) {
  if (props.error) {
    // Say what happened (the server's own words) and offer both ways on: try again, or go back.
    return (
      <View className="state state-error">
        <Text className="state-title">没能打开</Text>
        <Text className="state-message">{props.error}</Text>
        <View className="btn-row state-actions">
          <Button className="btn btn-quiet btn-leave" onClick={leave}>
            {canGoBack() ? '返回上一页' : '回到首页'}
          </Button>
          <Button className="btn btn-retry" onClick={props.onRetry}>
            再试一次
          </Button>
        </View>
      </View>
    );
  }
  if (props.loading) {
    return (
      <View className="state state-loading">
        <Text>正在加载…</Text>
      </View>
    );
  }
  if (props.empty) {
    return (
      <View className="state state-empty">
        <Text>{props.emptyText}</Text>
        {props.emptyAction ? (
          <Button className={`btn btn-primary ${props.emptyAction.className}`} onClick={props.emptyAction.onClick}>
            {props.emptyAction.label}
          </Button>
        ) : null}
      </View>
    );
  }
  return null;
}

/**
 * The foot of a paged list (from usePaged): its loading / error / empty state, then 加载更多 while
 * there is a next page, else `endText` (if given) under a non-empty list.
 */
export function PagedListState(props: {
  list: Pick<ReturnType<typeof usePaged>, 'loading' | 'error' | 'loaded' | 'items' | 'cursor' | 'loadingMore' | 'reload' | 'more'>;
  emptyText: string;
  emptyAction?: EmptyAction;
  endText?: { text: string; className: string };
}) {
  const { list } = props;
  return (
    <>
      <ListState
        loading={list.loading}
        error={list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText={props.emptyText}
        emptyAction={props.emptyAction}
        onRetry={() => void list.reload()}
      />
      {list.cursor ? (
        <Button className="btn btn-quiet btn-more" disabled={list.loadingMore} onClick={() => void list.more()}>
          {list.loadingMore ? '正在加载…' : '加载更多'}
        </Button>
      ) : props.endText && list.loaded && list.items.length > 0 ? (
        <Text className={`state muted ${props.endText.className}`}>{props.endText.text}</Text>
      ) : null}
    </>
  );
}
