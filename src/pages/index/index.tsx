import { useCallback, useRef, useState, type ComponentType } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { ROLE_LABEL } from '@/core';
import { messageOf } from '@/services/gateway';
import { forgetMe, loadMe } from '@/services/session';
import { isLargeText } from '@/services/prefs';
import { Frame } from '@/components/Frame';
import { LargeTextSwitch } from '@/components/LargeTextSwitch';
import type { Me } from '@/services/api';

// The demo identity picker exists only in the H5 build (constant branch, dropped from weapp).
const IdentityPicker: ComponentType<{ onChange: (openid: string) => void }> | null =
  process.env.TARO_ENV === 'h5'
    ? (require('@/components/IdentityPicker') as { default: ComponentType<{ onChange: (openid: string) => void }> }).default
    : null;

function go(url: string) {
  void Taro.navigateTo({ url });
}

export default function Home() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [large, setLarge] = useState(isLargeText());

  // The latest load wins: the page's own whoami (on show) may answer after the one for an identity picked meanwhile.
  const seq = useRef(0);
  const load = useCallback(async (fresh = false) => {
    const my = ++seq.current;
    setLoading(true);
    setError('');
    try {
      const got = await loadMe(fresh);
      if (my === seq.current) setMe(got);
    } catch (e) {
      if (my !== seq.current) return;
      setMe(null);
      setError(messageOf(e));
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }, []);

  useDidShow(() => {
    setLarge(isLargeText());
    void load(true);
  });

  return (
    <Frame className="home" tab={me ? 'home' : undefined} large={large}>
      {IdentityPicker ? (
        <IdentityPicker
          onChange={() => {
            forgetMe();
            setMe(null);
            void load(true);
          }}
        />
      ) : null}

      <View className="card whoami">
        {me ? (
          <>
            <Text className="card-title">您好，{me.name}</Text>
            <Text className="card-line">
              {ROLE_LABEL[me.role]}
              {me.orgName ? ` · ${me.orgName}` : ''}
            </Text>
          </>
        ) : loading ? (
          <Text className="muted">正在确认您的身份…</Text>
        ) : (
          <>
            <Text className="state-error">{error || '暂时无法确认您的身份'}</Text>
            <Button className="btn btn-retry" onClick={() => void load(true)}>
              重新加载
            </Button>
          </>
        )}
      </View>

      {me?.role === 'organiser' ? (
        <View className="entries">
          <Button className="btn btn-primary btn-workbench" onClick={() => go('/organiser/workbench/index')}>
            督办台
          </Button>
          <Button className="btn btn-queue" onClick={() => go('/organiser/queue/index')}>
            心愿台账
          </Button>
          <Button className="btn btn-post" onClick={() => go('/pages/post/index')}>
            代居民录入心愿
          </Button>
          <Button className="btn btn-notices" onClick={() => go('/pages/notices/index')}>
            消息
          </Button>
        </View>
      ) : null}

      {me?.role === 'member' ? (
        <View className="entries">
          <Button className="btn btn-primary btn-board" onClick={() => go('/member/board/index')}>
            认领墙
          </Button>
          <Button className="btn btn-claims" onClick={() => go('/member/claims/index')}>
            我的认领
          </Button>
        </View>
      ) : null}

      {me && me.role !== 'organiser' ? (
        <View className="entries">
          <Button className={`btn btn-post${me.role === 'resident' ? ' btn-primary' : ''}`} onClick={() => go('/pages/post/index')}>
            我要许愿
          </Button>
          <Button className="btn btn-mine" onClick={() => go('/pages/mine/index')}>
            我的心愿
          </Button>
          <Button className="btn btn-notices" onClick={() => go('/pages/notices/index')}>
            消息
          </Button>
        </View>
      ) : null}

      <LargeTextSwitch on={large} onChange={setLarge} />
      <Text className="field-hint">有困难、有心愿，写下来，社区和党员帮您办。</Text>
      <Button className="btn btn-quiet btn-public" onClick={() => go('/public/index')}>
        公开栏：看看各社区办得怎么样
      </Button>
    </Frame>
  );
}
