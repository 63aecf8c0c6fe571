/**
 * A Taro plugin (config/index.ts `plugins`): Taro starts every mini-program build from a default list of components
 * whose templates go into base.wxml, the main package (@tarojs/webpack5-runner utils/component.js), and adds each
 * component the code imports. `scroll-view` is on the default list but nowhere in src/: its templates (four levels,
 * ~9 KB) are dropped (issue 8, part 6). If a page imports ScrollView, Taro adds it back.
 */
const UNUSED = ['scroll-view'];

module.exports = (ctx) => {
  ctx.modifyComponentConfig(({ componentConfig }) => {
    for (const name of UNUSED) componentConfig.includes.delete(name);
  });
};
