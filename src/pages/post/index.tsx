import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PostForm } from '@/components/PostForm';
import { PrivacyNotice } from '@/components/PrivacyNotice';
import { call } from '@/services/gateway';
import type { Me } from '@/services/api';

export default function Post() {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    call<Me>('whoami').then(
      (m) => {
        setMe(m);
        if (m.role === 'organiser') void Taro.setNavigationBarTitle({ title: '代居民录入心愿' });
      },
      () => setMe(null),
    );
  }, []);
  // Consent gate: the privacy notice comes before the first post, and again when its version changes.
  if (me?.consent && !me.consent.accepted) {
    return (
      <View className="page">
        <PrivacyNotice onAccepted={() => setMe({ ...me, consent: { ...me.consent!, accepted: true } })} onDeclined={() => void Taro.navigateBack()} />
      </View>
    );
  }
  return (
    <View className="page">
      <PostForm
        onBehalf={me?.role === 'organiser'}
        onDone={(wish) => {
          void Taro.showToast({ title: '已提交', icon: 'success' });
          void Taro.redirectTo({ url: `/pages/wish/index?id=${wish._id}` });
        }}
      />
    </View>
  );
}
