/**
 * The weapp tests' jest environment: node (the local cloud runs in this process: node's timers, fetch and packages)
 * with one jsdom window for WeChat's component framework to render into. miniprogram-simulate, j-component and
 * miniprogram-exparser read `window`, `document` and the DOM's event classes as globals; those are taken from jsdom.
 * (jest's jsdom environment would give the local cloud jsdom's timers and browser builds of its packages.)
 */
// The projects' local-cloud environment (one PGlite per worker process for the local clouds), plus the window below.
const { LocalCloudEnvironment: NodeEnvironment } = require('../node-environment');
const { JSDOM } = require('jsdom');

const FROM_WINDOW = [
  'window',
  'document',
  'navigator',
  'Node',
  'Element',
  'HTMLElement',
  'Text',
  'Comment',
  'DocumentFragment',
  'Event',
  'CustomEvent',
  'TouchEvent',
  'MouseEvent',
  'UIEvent',
  'EventTarget',
  'MutationObserver',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
];

class WeappEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
      pretendToBeVisual: true,
      url: 'https://servicewechat.com/',
    });
    const win = this.dom.window;
    for (const name of FROM_WINDOW) {
      const value = name === 'window' ? win : win[name];
      this.global[name] = typeof value === 'function' && /^[a-z]/.test(name) ? value.bind(win) : value;
    }
  }

  async teardown() {
    this.dom.window.close();
    await super.teardown();
  }
}

module.exports = WeappEnvironment;
