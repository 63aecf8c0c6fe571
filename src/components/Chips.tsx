import { View } from '@tarojs/components';

export interface ChipOption<T extends string> {
  value: T;
  label: string;
}

/** Big tappable option chips (class `chip chip-<value>`, `chip-on` when chosen). */
export function Chips<T extends string>(props: {
  options: readonly ChipOption<T>[];
  value: T | '' | null;
  onChange: (v: T) => void;
  className?: string;
}) {
  return (
    <View className={`chips ${props.className ?? ''}`}>
      {props.options.map((o) => (
        <View
          key={o.value}
          className={`chip chip-${o.value}${props.value === o.value ? ' chip-on' : ''}`}
          data-value={o.value}
          aria-checked={props.value === o.value}
          role="radio"
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  );
}
