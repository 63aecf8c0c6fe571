/**
 * The privacy notice as its own page (subpackage `consent`): the post page opens it when whoami says the
 * caller has not accepted the current notice, and re-reads whoami when it is shown again. Agreeing (or
 * declining) goes back to the page that opened it; `?sensitive=1` asks the separate sensitive consent.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { forgetMe } from '@/services/session';
import { PrivacyNotice } from './PrivacyNotice';

function back() {
  // Opened by navigateTo: go back. Opened directly (a shared link, a reload in H5): go to the post page.
  Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/pages/post/index' }));
}

export default function Consent() {
  const sensitive = useRouter().params.sensitive === '1';
  return (
    <Frame className="consent">
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
