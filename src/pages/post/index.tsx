import { useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { PostForm } from '@/components/PostForm';
import { wishUrl } from '@/components/WishDetail';
import { loadMe } from '@/services/session';
import type { Me } from '@/services/api';

/** The privacy notice is a page of the `consent` subpackage (keeps its text out of the main package). */
const CONSENT_URL = '/consent/index';

export default function Post() {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const opened = useRef(false); // the notice page was opened once: do not push it again by itself
  const askedSensitive = useRef(false); // the sensitive-consent page was opened from the form
  const [declined, setDeclined] = useState(false);
  // Consent gate: the privacy notice comes before the first post, and again when its version changes.
  // Shown again after the notice page: whoami is read afresh (the notice page forgets the cached one).
  useDidShow(() => {
    loadMe(opened.current || askedSensitive.current).then(
      (m) => {
        setMe(m);
        if (askedSensitive.current) setDeclined(!m.consent?.sensitive);
        setReady(true);
        if (m.role === 'organiser') void Taro.setNavigationBarTitle({ title: '代为录入' });
        if (m.consent && !m.consent.accepted && !opened.current) {
          opened.current = true;
          void Taro.navigateTo({ url: CONSENT_URL });
        }
      },
      () => setReady(true),
    );
  });
  if (me?.consent && !me.consent.accepted) {
    return (
      <Frame className="post" tab="post">
        <View className="consent-gate" style={{ padding: '16px' }}>
          <Text style={{ display: 'block', fontSize: '20px', lineHeight: '1.7', marginBottom: '16px' }}>
            许愿前，请先阅读《个人信息保护告知书》，同意后才能填写心愿。
          </Text>
          <Button className="btn btn-primary btn-read-notice" onClick={() => void Taro.navigateTo({ url: CONSENT_URL })}>
            阅读告知书
          </Button>
        </View>
      </Frame>
    );
  }
  return (
    <Frame className="post" tab="post">
      {ready ? (
        <PostForm
          onBehalf={me?.role === 'organiser'}
          owner={me?.id}
          hardship={{
            consent: !!me?.consent?.sensitive,
            declined,
            // The server checks the caller's own consent: an organiser entering for a resident agrees on this
            // account, after reading the notice to the resident (the page says so with `for=resident`).
            ask: () => {
              askedSensitive.current = true;
              void Taro.navigateTo({ url: `${CONSENT_URL}?sensitive=1${me?.role === 'organiser' ? '&for=resident' : ''}` });
            },
          }}
          onDone={(wish) => {
            void Taro.showToast({ title: '已提交', icon: 'success' });
            void Taro.redirectTo({ url: wishUrl(wish._id, me?.role) });
          }}
        />
      ) : null}
    </Frame>
  );
}
