/**
 * 打印回执 (issue 11): a wish taken by hotline or on a visit gets a card number and PIN (`wishCards` receipt), printed
 * as one receipt for the resident — the organisation, the day the wish was received and how, the QR code that opens
 * its progress (the same as a wish card's), the card number and the PIN for feedback. The PIN is shown only now:
 * print before leaving the page. Opened from the organiser's wish page (`?wishId=…`). With `&reissue=1` (a wish that
 * already has a card or receipt) it prints the same card number with a new PIN (`wishCards` reissue): the old PIN
 * stops working and a lock by someone else's wrong guesses is lifted.
 */
import '../organiser.css';
import '../cards/cards.css';
import { useRef, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { Frame } from '@/components/Frame';
import { FormError } from '@/components/Field';
import { formatDay } from '@/components/format';
import { call, messageOf, newRequestId } from '@/services/gateway';
import { CODE, CodeRow, PinOnce, PrintButton } from '../cards/print';

interface Receipt {
  orgName: string;
  wishId: string;
  channel: string;
  receivedOn: string;
  cardNo: string;
  pin: string;
  url: string;
  qr: string;
  codeKind?: 'qr' | 'wxacode';
}

export default function PrintReceipt() {
  const router = useRouter();
  const wishId = String(router.params?.wishId ?? '');
  const again = router.params?.reissue === '1';
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // One request id for this page: a retry after a lost answer gets the same card back (with a new PIN).
  const requestId = useRef(newRequestId());

  const make = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      setReceipt(
        await call<Receipt>(
          'wishCards',
          again ? { mode: 'reissue', wishId, ...CODE } : { mode: 'receipt', wishId, requestId: requestId.current, ...CODE },
        ),
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Frame className="print-cards print-receipt">
      <View className="card no-print">
        <Text className="card-line">
          {again
            ? '重新生成查询码：卡号和二维码不变，旧查询码作废，输错被锁的卡也马上可以用新查询码反馈。请打印新的回执交给居民。'
            : '给电话或走访收来的心愿开一张回执：居民扫回执上的二维码就能查看办理进度，办好后凭查询码反馈。'}
        </Text>
        <View className="btn-row">
          {!receipt ? (
            <Button className="btn btn-primary btn-make-receipt" loading={busy} disabled={busy || !wishId} onClick={() => void make()}>
              {again ? '重新生成查询码' : '生成回执'}
            </Button>
          ) : null}
          <PrintButton ready={!!receipt} />
        </View>
        <PinOnce ready={!!receipt} />
      </View>
      <FormError message={error} />
      {receipt ? (
        <View className="card-sheet">
          <View className="wish-card-print wish-receipt">
            <Text className="wc-org">{receipt.orgName} · 微心愿回执</Text>
            <Text className="wc-line">
              您的心愿已于 {formatDay(receipt.receivedOn)}（{receipt.channel}）收到，社区会尽快办理。
            </Text>
            <CodeRow qr={receipt.qr} cardNo={receipt.cardNo} codeKind={receipt.codeKind} />
            <View className="wc-stub">
              <Text className="wc-stub-text">查询码 {receipt.pin}（办好后凭查询码反馈，请妥善保管）</Text>
            </View>
          </View>
        </View>
      ) : null}
    </Frame>
  );
}
