/**
 * Stand-ins for @tarojs/components in jsdom (jest project `components`): plain DOM elements that keep
 * className / data-* / aria-* and translate Taro's event shape (`e.detail.value`).
 */
import { createElement, type ReactNode } from 'react';

type Props = Record<string, unknown> & { children?: ReactNode; className?: string };

const PASS = /^(className|id|style|role|data-|aria-)/;

function domProps(props: Props): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (PASS.test(k)) out[k] = v;
  if (typeof props.onClick === 'function') out.onClick = props.onClick;
  return out;
}

function tag(name: string) {
  return function Stub(props: Props) {
    return createElement(name, domProps(props), props.children);
  };
}

export const View = tag('div');
export const Text = tag('span');
export const ScrollView = tag('div');
export const Swiper = tag('div');
export const SwiperItem = tag('div');
export const Label = tag('label');
export const Form = tag('form');

export function Button(props: Props) {
  return createElement('button', { ...domProps(props), type: 'button', disabled: Boolean(props.disabled) }, props.children);
}

export function Image(props: Props) {
  return createElement('img', { ...domProps(props), src: props.src as string, alt: '' });
}

function detail(value: string) {
  return { detail: { value }, target: { value }, currentTarget: { value } };
}

function field(name: 'input' | 'textarea') {
  return function Field(props: Props) {
    const onInput = (props.onInput ?? props.onChange) as ((e: unknown) => void) | undefined;
    return createElement(name, {
      ...domProps(props),
      value: (props.value as string) ?? '',
      placeholder: props.placeholder as string | undefined,
      maxLength: props.maxlength as number | undefined,
      type: name === 'input' ? (props.type as string | undefined) : undefined,
      onChange: (e: { target: { value: string } }) => onInput?.(detail(e.target.value)),
    });
  };
}

export const Input = field('input');
export const Textarea = field('textarea');

/** Picker: a text box holding the value (a test can type any date, even one the real picker forbids). */
export function Picker(props: Props) {
  const onChange = props.onChange as ((e: unknown) => void) | undefined;
  return createElement(
    'label',
    { className: props.className, 'data-mode': props.mode, 'data-start': props.start, 'data-end': props.end },
    props.children,
    createElement('input', {
      className: 'picker-value',
      value: String(props.value ?? ''),
      onChange: (e: { target: { value: string } }) => onChange?.(detail(e.target.value)),
    }),
  );
}
