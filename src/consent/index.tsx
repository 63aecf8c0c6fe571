/**
 * The privacy notice as its own page (subpackage `consent`): the post page opens it when whoami says the
 * caller has not accepted the current notice, and re-reads whoami when it is shown again. Agreeing (or
 * declining) goes back to the page that opened it; `?sensitive=1` asks the separate sensitive consent.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text } from '@tarojs/components';
import { Frame } from '@/components/Frame';
import { forgetMe } from '@/services/session';
import { PrivacyNotice } from './PrivacyNotice';

function back() {
  // Opened by navigateTo: go back. Opened directly (a shared link, a reload in H5): go to the post page.
  Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/pages/post/index' }));
}

export default function Consent() {
  const params = useRouter().params;
  const sensitive = params.sensitive === '1';
  return (
    <Frame className="consent">
      {sensitive && params.for === 'resident' ? (
        // collect checks the caller's own consent: the organiser entering a wish agrees on their account,
        // after reading these words to the resident and hearing the resident agree.
        <Text
          className="consent-on-behalf"
          style={{ display: 'block', fontSize: '18px', lineHeight: '1.7', padding: '16px 16px 0', color: '#b71c1c' }}
        >
          您在代居民录入：请把下面的说明读给居民听，居民本人同意后，再点“我已阅读并同意”。同意记录在您的账号下。
        </Text>
      ) : null}
      <PrivacyNotice
        sensitive={sensitive}
        onAccepted={() => {
          forgetMe(); // the cached whoami still says "not accepted"
          void Taro.showToast({ title: '已同意', icon: 'success' });
          back();
        }}
        onDeclined={back}
      />
    </Frame>
  );
}
