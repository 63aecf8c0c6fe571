/**
 * The workbench's 12-month trend as grouped bars (收集 / 销号 per month), drawn by the F2 5 core (@antv/f2) on a 2d
 * canvas — one component for both targets, no F2 binding (docs/figures.md, "Trend"):
 * - weapp: Taro's `<Canvas type="2d">`; the selector query's `node` is the mini-program's canvas object; F2 gets its context, the device pixel
 *   ratio, the canvas's own requestAnimationFrame and an offscreen canvas to measure text (there is no DOM to make
 *   one from);
 * - H5: a plain `<canvas>` element, found by its id (Taro's H5 `<Canvas>` would do too — its selector query returns
 *   the `<canvas>` inside `<taro-canvas-core>` — but costs every page's first screen; see the render below).
 * The tree is built with F2's `jsx()` function (no F2 JSX syntax: React's JSX owns this file). It redraws when the
 * figures change (`canvas.update`) and is destroyed with the component. It lives in the organiser subpackage, so
 * F2 never reaches the main package. Taps are the caller's month row (hit-testing a canvas differs by target).
 */
import { useEffect, useRef } from 'react';
import { Canvas as TaroCanvas } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Axis, Canvas, Chart, Interval, jsx, type CanvasProps } from '@antv/f2';

export interface TrendMonth {
  month: string;
  collected: number;
  closed: number;
}

/** The bars' colours (also the legend's and the browser test's). */
export const TREND_COLOURS = { collected: '#90a4ae', closed: '#b71c1c' } as const;

let seq = 0;

/** F2's `jsx(type, props)` without its JSX typings (each component's props are checked by F2 when it renders). */
const el = (type: unknown, props: object) => jsx(type as Parameters<typeof jsx>[0], props);

/** Month labels like "1月"; two records a month (收集, 销号) for F2's dodged bars. */
function records(trend: TrendMonth[]) {
  return trend.flatMap((t) => {
    const month = `${Number(t.month.slice(5))}月`;
    return [
      { month, type: '收集', n: t.collected },
      { month, type: '销号', n: t.closed },
    ];
  });
}

/** Whole counts on the value axis: at most four steps of a whole size, up to the largest count or just above. */
function countScale(trend: TrendMonth[]) {
  const most = Math.max(1, ...trend.map((t) => Math.max(t.collected, t.closed)));
  const step = Math.ceil(most / 4);
  const steps = Math.ceil(most / step);
  return { min: 0, max: steps * step, ticks: Array.from({ length: steps + 1 }, (_, i) => i * step) };
}

function chartOf(trend: TrendMonth[], fontSize: number) {
  const label = { fontSize, fill: '#555555' };
  return el(Chart, {
    data: records(trend),
    scale: { n: countScale(trend), month: { range: [0.04, 0.96] } },
    style: { padding: [10, 6, 0, 0] },
    children: [
      el(Axis, {
        field: 'month',
        style: {
          // Large text: every other month is named (this month always), so that the names do not run together.
          // (F2 draws a tick's own text for an empty one: a space.)
          // (F2 5.14 passes the ticks where its typings say their number.)
          label: (_text: string, i: number, ticks: unknown[] | number) => {
            const last = (typeof ticks === 'number' ? ticks : ticks.length) - 1;
            return fontSize > 12 && (last - i) % 2 ? { ...label, text: ' ' } : label;
          },
          line: { stroke: '#cccccc' },
          labelOffset: 4,
        },
      }),
      el(Axis, { field: 'n', style: { label, grid: { stroke: '#eeeeee', lineDash: null }, labelOffset: 4 } }),
      el(Interval, {
        x: 'month',
        y: 'n',
        color: { field: 'type', range: [TREND_COLOURS.collected, TREND_COLOURS.closed] },
        adjust: { type: 'dodge', marginRatio: 0.1 },
        sizeRatio: 0.7,
      }),
    ],
  });
}

/** What F2 needs of the target's canvas. */
interface Found {
  node: {
    getContext(type: '2d'): CanvasRenderingContext2D | null;
    width: number;
    height: number;
    requestAnimationFrame?: (cb: () => void) => number;
    cancelAnimationFrame?: (id: number) => void;
  };
  width: number;
  height: number;
  pixelRatio: number;
}

/** The canvas once the target has rendered it. Each build keeps only its own branch: the H5 one uses the DOM, so no
 * Taro API (selector queries, nextTick) joins H5's first-screen chunks for this page's sake. */
function findCanvas(id: string): Promise<Found | null> {
  if (process.env.TARO_ENV === 'weapp') {
    return new Promise((resolve) => {
      Taro.nextTick(() => {
        Taro.createSelectorQuery()
          .select(`#${id}`)
          .fields({ node: true, size: true })
          .exec((res: Array<{ node?: Found['node']; width: number; height: number } | null>) => {
            const r = res?.[0];
            resolve(
              r?.node && r.width ? { node: r.node, width: r.width, height: r.height, pixelRatio: Taro.getWindowInfo().pixelRatio } : null,
            );
          });
      });
    });
  } else {
    // H5: a plain <canvas> (see the render below), there once React has committed — and sized once the page shows.
    return new Promise((resolve) => {
      let tries = 0;
      const look = () => {
        const node = document.getElementById(id) as HTMLCanvasElement | null;
        const rect = node?.getBoundingClientRect();
        if (node && rect?.width) resolve({ node, width: rect.width, height: rect.height, pixelRatio: window.devicePixelRatio || 1 });
        else if (++tries < 20) requestAnimationFrame(look);
        else resolve(null);
      };
      look();
    });
  }
}

export function TrendChart(props: { trend: TrendMonth[]; height?: number; large?: boolean; label: string }) {
  const id = useRef(`trend-chart-${++seq}`).current;
  const height = props.height ?? 180;
  const fontSize = props.large ? 14 : 10;
  const chart = useRef<Canvas | null>(null);
  const latest = useRef(() => chartOf(props.trend, fontSize));
  latest.current = () => chartOf(props.trend, fontSize);

  // Mount: find the canvas once the target has rendered it, size it for the screen, draw.
  useEffect(() => {
    let gone = false;
    void findCanvas(id).then((found) => {
      if (gone || !found) return;
      const { node, width, height, pixelRatio } = found;
      const context = node.getContext('2d');
      if (!context) return;
      node.width = width * pixelRatio;
      node.height = height * pixelRatio;
      const canvas = new Canvas({
        context,
        pixelRatio,
        width,
        height,
        animate: false,
        // F2's theme is in 750-wide design pixels ('30px'): half that in CSS pixels on both targets (F2's own
        // conversion reads the root font size, which Taro's H5 sets for rem). Numbers in the tree are CSS pixels.
        px2hd: (px: number) => px / 2,
        theme: { fontSize },
        // The mini-program has no DOM to make a canvas for measuring text from, nor a global requestAnimationFrame.
        ...(process.env.TARO_ENV === 'weapp'
          ? {
              offscreenCanvas: Taro.createOffscreenCanvas({
                type: '2d',
                width: 10,
                height: 10,
              }) as unknown as CanvasProps['offscreenCanvas'],
              requestAnimationFrame: (cb: () => void) => node.requestAnimationFrame!(cb),
              cancelAnimationFrame: (n: number) => node.cancelAnimationFrame!(n),
            }
          : {}),
        children: latest.current(),
      });
      chart.current = canvas;
      void canvas.render();
    });
    return () => {
      gone = true;
      chart.current?.destroy();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- drawn once; later figures go through update below
  }, [id]);

  // New figures (pull-down, another unit): the same canvas redraws.
  useEffect(() => {
    void chart.current?.update({ children: latest.current() });
  }, [props.trend, fontSize]);

  const style = { width: '100%', height: `${height}px`, display: 'block' };
  // weapp: Taro's canvas component. H5: a plain <canvas> — Taro's H5 canvas is a Stencil element defined in the one
  // module that holds all of Taro's React components, which every page loads: using it there would put its
  // definition into the first screen (+1.5 KB), for the sake of this page.
  return process.env.TARO_ENV === 'weapp' ? (
    <TaroCanvas type="2d" id={id} className="trend-canvas" style={style} aria-label={props.label} />
  ) : (
    <canvas id={id} className="trend-canvas" style={style} role="img" aria-label={props.label} />
  );
}
