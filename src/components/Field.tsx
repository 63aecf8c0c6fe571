import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { formatDay } from './format';

interface FieldProps {
  label: string;
  name: string; // the class of the control, e.g. `input-title`
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  hint?: string;
  maxlength?: number;
}

export function TextField(props: FieldProps & { type?: 'text' | 'number' }) {
  return (
    <View className="field">
      <Text className="field-label">{props.label}</Text>
      <Input
        className={`input ${props.name}`}
        type={props.type === 'number' ? 'number' : 'text'}
        value={props.value}
        placeholder={props.placeholder}
        maxlength={props.maxlength ?? 140}
        onInput={(e) => props.onChange(e.detail.value)}
      />
      {props.hint ? <Text className="field-hint">{props.hint}</Text> : null}
    </View>
  );
}

export function TextAreaField(props: FieldProps) {
  return (
    <View className="field">
      <Text className="field-label">{props.label}</Text>
      <Textarea
        className={`textarea ${props.name}`}
        value={props.value}
        placeholder={props.placeholder}
        maxlength={props.maxlength ?? 500}
        onInput={(e) => props.onChange(e.detail.value)}
      />
      {props.hint ? <Text className="field-hint">{props.hint}</Text> : null}
    </View>
  );
}

/** A date (YYYY-MM-DD) with the platform date picker, bounded start..end. */
export function DateField(props: {
  label: string;
  name: string;
  value: string;
  start: string;
  end: string;
  onChange: (v: string) => void;
  hint?: string;
}) {
  return (
    <View className="field">
      <Text className="field-label">{props.label}</Text>
      <Picker
        mode="date"
        className={props.name}
        value={props.value}
        start={props.start}
        end={props.end}
        onChange={(e) => props.onChange(String(e.detail.value))}
      >
        <Text className="date-value">{props.value ? `${formatDay(props.value)}(${props.value})` : '请选择日期'} ▾</Text>
      </Picker>
      {props.hint ? <Text className="field-hint">{props.hint}</Text> : null}
    </View>
  );
}

export function FormError(props: { message: string }) {
  return props.message ? <Text className="form-error">{props.message}</Text> : null;
}
