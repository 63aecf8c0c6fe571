import { Button, Text, View } from '@tarojs/components';

/** Loading / error / empty for a list. Renders nothing when the list has items and is idle. */
export function ListState(props: {
  loading: boolean;
  error: string;
  empty: boolean;
  emptyText: string;
  emptyAction?: { label: string; className: string; onClick: () => void };
  onRetry: () => void;
}) {
  if (props.error) {
    return (
      <View className="state state-error">
        <Text>{props.error}</Text>
        <Button className="btn btn-retry" onClick={props.onRetry}>
          重新加载
        </Button>
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
