/**
 * The web site on CloudBase (a WEB_CLOUD=cloudbase build, issue 23) serves only the pages anyone may open: the card
 * page (a printed card's or a receipt's code) and 公开栏. Every other page needs a WeChat sign-in, which only the
 * mini-program has: the site shows this instead, over the page (whose calls the transport does not send either:
 * transport.h5.ts WEB_FUNCTIONS).
 */
import { Fragment, createElement, useEffect, useState, type ReactNode } from 'react';
import { Image, Text, View } from '@tarojs/components';

/** The pages the web site serves (app.config.ts paths). */
export const WEB_PAGES = ['card/index', 'public/index'] as const;

/** Whether the page a hash route (`#/card/index?no=…`) names is one the web site serves. The site's root (no hash)
 * is the home page: mini-program only. */
export function webServes(hash: string): boolean {
  const path = hash
    .replace(/^#/, '')
    .replace(/[?#].*$/, '')
    .replace(/^\/+|\/+$/g, '');
  return (WEB_PAGES as readonly string[]).includes(path);
}

/** Whether this build is the CloudBase web site (the environment baked in; the local H5 build is the whole app). */
export function isCloudWebSite(): boolean {
  return process.env.TARO_ENV === 'h5' && typeof TCB_WEB_ENV === 'string' && TCB_WEB_ENV !== '';
}

/** On the CloudBase web site, whether the page shown now is one it does not serve (re-read on every route change). */
export function useMiniProgramOnly(): boolean {
  const [hash, setHash] = useState(() => (typeof location === 'undefined' ? '' : location.hash));
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  if (!isCloudWebSite()) return false;
  // App re-renders on each page the router mounts or unmounts: read the hash then too, not only on hashchange.
  return !webServes(typeof location === 'undefined' ? hash : location.hash);
}

/** The mini-program's code as an image, when the build names one (WX_MINIPROGRAM_CODE_URL, config/index.ts). */
function codeImage(): string {
  return typeof MINI_PROGRAM_CODE_URL === 'string' ? MINI_PROGRAM_CODE_URL : '';
}

export function MiniProgramOnly() {
  const code = codeImage();
  return (
    <View className="page mp-only" role="main">
      <Text className="mp-only-title">请在微信小程序中打开</Text>
      <Text className="mp-only-text">这个页面需要用微信登录，只能在「微心愿」小程序里使用。</Text>
      {code ? (
        <>
          <Image className="mp-only-code" src={code} mode="aspectFit" />
          <Text className="mp-only-text">用微信扫一扫上面的小程序码，打开「微心愿」小程序。</Text>
        </>
      ) : (
        <Text className="mp-only-text">请在微信里搜索小程序「微心愿」。</Text>
      )}
      <Text className="mp-only-hint">手里有心愿卡或回执的，扫卡上的码就能在这里查看心愿进度。</Text>
    </View>
  );
}

/** The app's pages on the CloudBase web site, with this over them when the page shown is mini-program only. The
 * pages stay as the router mounted them (a fragment: its `.taro_page` elements keep their place). */
export function WebSiteGate({ children }: { children: ReactNode }) {
  const blocked = useMiniProgramOnly();
  return createElement(
    Fragment,
    null,
    children,
    blocked ? createElement(View, { className: 'mp-only-cover' }, createElement(MiniProgramOnly)) : null,
  );
}
