import { useBusy } from '@/components/useBusy';
import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { NOTICE_VERSION } from '@/core';
import { NOTICE_PARAGRAPHS, NOTICE_TITLE, SENSITIVE_NOTICE_PARAGRAPHS } from '@/core/noticeText';
import { call, messageOf } from '@/services/gateway';
import { FormError } from '@/components/Field';

/**
 * 个人信息保护告知书: shown before the first post (and again when the notice changes) on its own page in the
 * `consent` subpackage (src/consent/index.tsx), so the main package does not carry it. Same text in H5 and
 * weapp (src/core/noticeText.ts). Large text, plain words. In the mini-program, agreeing also goes through the
 * platform's privacy authorisation (wx.requirePrivacyAuthorize; the button is an agreePrivacyAuthorization
 * button), then the `consent` function records the notice version on the server.
 */
export function PrivacyNotice(props: { sensitive?: boolean; onAccepted: () => void; onDeclined?: () => void }) {
  const { busy, start, done } = useBusy();
  const [error, setError] = useState('');
  const paragraphs = props.sensitive ? SENSITIVE_NOTICE_PARAGRAPHS : NOTICE_PARAGRAPHS;

  async function agree() {
    if (!start()) return;
    setError('');
    try {
      if (process.env.TARO_ENV === 'weapp') await platformAuthorize();
      await call('consent', { notice: props.sensitive ? 'sensitive' : 'main', version: NOTICE_VERSION });
      props.onAccepted();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      done();
    }
  }

  const weappAgree = process.env.TARO_ENV === 'weapp' ? { openType: 'agreePrivacyAuthorization' as const, id: 'agree-privacy' } : {};
  return (
    <View className="privacy-notice" style={{ padding: '16px' }}>
      <Text className="privacy-title" style={{ display: 'block', fontSize: '24px', fontWeight: 'bold', marginBottom: '12px' }}>
        {props.sensitive ? '敏感个人信息单独同意' : NOTICE_TITLE}
      </Text>
      {paragraphs.map((p) => (
        <Text key={p} className="privacy-paragraph" style={{ display: 'block', fontSize: '20px', lineHeight: '1.7', marginBottom: '10px' }}>
          {p}
        </Text>
      ))}
      <Text className="field-hint" style={{ display: 'block', fontSize: '16px', marginBottom: '12px' }}>
        版本 {NOTICE_VERSION}
      </Text>
      <FormError message={error} />
      <Button className="btn btn-primary btn-agree" disabled={busy} onClick={() => void agree()} {...weappAgree}>
        {busy ? '正在提交…' : '我已阅读并同意'}
      </Button>
      {props.onDeclined ? (
        <Button className="btn btn-decline" onClick={props.onDeclined}>
          暂不同意
        </Button>
      ) : null}
    </View>
  );
}

/** The mini-program's own privacy authorisation (base library ≥ 2.32.3); older clients skip it. */
function platformAuthorize(): Promise<void> {
  return new Promise((resolve, reject) => {
    if (typeof Taro.requirePrivacyAuthorize !== 'function') return resolve();
    Taro.requirePrivacyAuthorize({ success: () => resolve(), fail: () => reject(new Error('需要同意隐私保护指引才能继续')) });
  });
}
