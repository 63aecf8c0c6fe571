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
  /** This field's problem (a bare message such as "不能为空"), shown under it with the label on screen. */
  error?: string;
}

/** The label as a name inside a sentence: "您需要什么帮助？（一句话）" → "您需要什么帮助". */
export function labelName(label: string): string {
  return label.replace(/（[^）]*）$/u, '').replace(/[？?：:]+$/u, '');
}

/** A field's problem in the words of its own label: "请填写“您的称呼”", "联系电话：请填写 11 位手机号…". */
export function fieldErrorText(label: string, message: string): string {
  const name = labelName(label);
  return message === '不能为空' || message === '请填写文字' ? `请填写“${name}”` : `${name}：${message}`;
}

function FieldError(props: { label: string; error?: string }) {
  return props.error ? <Text className="field-error">{fieldErrorText(props.label, props.error)}</Text> : null;
}

/** `phone`: the telephone keypad (H5 `type=tel`, which also takes spaces and dashes; the mini-program's number pad). */
export function TextField(props: FieldProps & { type?: 'text' | 'number' | 'phone' }) {
  const type = props.type === 'phone' ? (process.env.TARO_ENV === 'h5' ? 'tel' : 'number') : props.type === 'number' ? 'number' : 'text';
  return (
    <View className={`field${props.error ? ' field-invalid' : ''}`}>
      <Text className="field-label">{props.label}</Text>
      <Input
        className={`input ${props.name}`}
        type={type as 'text'}
        value={props.value}
        placeholder={props.placeholder}
        placeholderClass="input-placeholder"
        maxlength={props.maxlength ?? 140}
        onInput={(e) => props.onChange(e.detail.value)}
      />
      <FieldError label={props.label} error={props.error} />
      {props.hint ? <Text className="field-hint">{props.hint}</Text> : null}
    </View>
  );
}

export function TextAreaField(props: FieldProps) {
  return (
    <View className={`field${props.error ? ' field-invalid' : ''}`}>
      <Text className="field-label">{props.label}</Text>
      <Textarea
        className={`textarea ${props.name}`}
        value={props.value}
        placeholder={props.placeholder}
        placeholderClass="input-placeholder"
        maxlength={props.maxlength ?? 500}
        onInput={(e) => props.onChange(e.detail.value)}
      />
      <FieldError label={props.label} error={props.error} />
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
  error?: string;
}) {
  return (
    <View className={`field${props.error ? ' field-invalid' : ''}`}>
      <Text className="field-label">{props.label}</Text>
      <Picker
        mode="date"
        className={props.name}
        value={props.value}
        start={props.start}
        end={props.end}
        onChange={(e) => props.onChange(String(e.detail.value))}
      >
        <Text className="date-value">{props.value ? `${formatDay(props.value)}（${props.value}）` : '请选择日期'} ▾</Text>
      </Picker>
      <FieldError label={props.label} error={props.error} />
      {props.hint ? <Text className="field-hint">{props.hint}</Text> : null}
    </View>
  );
}

export function FormError(props: { message: string }) {
  return props.message ? <Text className="form-error">{props.message}</Text> : null;
}
