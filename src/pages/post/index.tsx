import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { PostForm } from '@/components/PostForm';
import { wishUrl } from '@/components/WishDetail';
import { loadMe } from '@/services/session';
import type { Me } from '@/services/api';

export default function Post() {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    loadMe().then(
      (m) => {
        setMe(m);
        setReady(true);
        if (m.role === 'organiser') void Taro.setNavigationBarTitle({ title: '代居民录入心愿' });
      },
      () => setReady(true),
    );
  }, []);
  return (
    <Frame className="post" tab="post">
      {ready ? (
        <PostForm
          onBehalf={me?.role === 'organiser'}
          onDone={(wish) => {
            void Taro.showToast({ title: '已提交', icon: 'success' });
            void Taro.redirectTo({ url: wishUrl(wish._id, me?.role) });
          }}
        />
      ) : null}
    </Frame>
  );
}
