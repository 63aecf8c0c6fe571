/**
 * 大字模式 reaches every control, not only the labels (issue 10: typed text was 13px under 23px labels).
 * The app's own stylesheet is loaded into jsdom and the computed font size of each control is read, in both
 * modes. (The H5 build's inner <textarea>/<input> inherit it; the browser test checks those in Chromium.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render } from '@testing-library/react';
import { Frame } from '@/components/Frame';
import { PostForm } from '@/components/PostForm';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrl: (id: string) => id,
  newRequestId: () => 'req-1',
  uploadPhoto: jest.fn(),
}));

beforeAll(() => {
  const style = document.createElement('style');
  style.textContent = readFileSync(join(__dirname, '../../src/app.css'), 'utf8');
  document.head.appendChild(style);
});

const px = (el: Element) => parseFloat(getComputedStyle(el).fontSize);

function sizes(large: boolean) {
  const { container, unmount } = render(
    <Frame className="post" large={large}>
      <PostForm onBehalf onDone={jest.fn()} />
    </Frame>,
  );
  fireEvent.click(container.querySelector('.btn-next')!); // shows the field errors too
  const one = (sel: string) => {
    const el = container.querySelector(sel);
    if (!el) throw new Error(`${sel} missing`);
    return px(el);
  };
  const out = {
    label: one('.field-label'),
    input: one('.input-title'),
    textarea: one('.input-content'),
    chip: one('.chip'),
    button: one('.btn-next'),
    error: one('.field-error'),
    hint: px(container.querySelector('.step')!),
  };
  unmount();
  return out;
}

test('in large-text mode typed text, chips, buttons and field errors are as large as the labels', () => {
  const normal = sizes(false);
  const large = sizes(true);
  for (const k of ['input', 'textarea', 'chip', 'button', 'error'] as const) {
    expect([k, large[k]]).toEqual([k, expect.any(Number)]);
    expect(large[k]).toBeGreaterThanOrEqual(large.label); // 22px labels: what she types is not smaller
    expect(large[k]).toBeGreaterThan(normal[k]); // and the mode changes it
  }
  expect(normal.input).toBeGreaterThanOrEqual(17);
  expect(large.hint).toBeGreaterThan(normal.hint);
});

test('the stylesheet gives H5 inner controls the field font and keeps the textarea inside its border', () => {
  const css = readFileSync(join(__dirname, '../../src/app.css'), 'utf8');
  const rule = /\.textarea \.taro-textarea,\s*\.input \.weui-input \{([^}]*)\}/.exec(css);
  expect(rule).not.toBeNull();
  expect(rule![1]).toMatch(/font-size: inherit/);
  expect(rule![1]).toMatch(/font-family: inherit/);
  expect(rule![1]).toMatch(/height: 100%/); // not Taro's height: inherit, which overflowed the bottom border
});
