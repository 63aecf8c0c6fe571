import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { PostForm } from '@/components/PostForm';
import { PrivacyNotice } from '@/components/PrivacyNotice';
import { wishUrl } from '@/components/WishDetail';
import { forgetMe, loadMe } from '@/services/session';
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
  // Consent gate: the privacy notice comes before the first post, and again when its version changes.
  if (me?.consent && !me.consent.accepted) {
    return (
      <Frame className="post" tab="post">
        <PrivacyNotice
          onAccepted={() => {
            forgetMe(); // the cached whoami still says "not accepted"
            setMe({ ...me, consent: { ...me.consent!, accepted: true } });
          }}
          onDeclined={() => void Taro.navigateBack()}
        />
      </Frame>
    );
  }
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
