import { Text, View } from '@tarojs/components';
import { setLargeText } from '@/services/prefs';

/** 大字模式 on/off: saved at once, so it stays on for every page and the next launch. */
export function LargeTextSwitch(props: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <View
      className={`card large-switch${props.on ? ' large-switch-on' : ''}`}
      role="switch"
      aria-checked={props.on}
      onClick={() => {
        setLargeText(!props.on);
        props.onChange(!props.on);
      }}
    >
      <Text className="large-switch-label">大字模式</Text>
      <Text className="large-switch-state">{props.on ? '已打开 ✓' : '已关闭'}</Text>
      <Text className="field-hint">{props.on ? '点这里换回普通字号' : '字太小看不清？点这里把字放大'}</Text>
    </View>
  );
}
