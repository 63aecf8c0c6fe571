/**
 * 印制心愿卡 (issue 11): an organiser makes a sheet of numbered wish cards (`wishCards` issue) and prints it — several
 * cards an A4 page, each with the organisation's name, lines for the wish and the contact, the QR code that opens the
 * card's progress page, the card number, and a stub with the PIN that the resident keeps. The PINs are shown only
 * now: print the sheet before leaving the page. In H5 the browser prints it (打印); in the mini-program, open the same
 * page in a browser to print. A returned card is linked to its wish (登记心愿卡) with the card number.
 */
import '../organiser.css';
import './cards.css';
import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { Frame } from '@/components/Frame';
import { FormError, TextField } from '@/components/Field';
import { call, messageOf } from '@/services/gateway';
import { CODE, CodeRow, PinOnce, PrintButton } from './print';

interface IssuedCard {
  cardNo: string;
  pin: string;
  url: string;
  qr: string;
}

export default function PrintCards() {
  const [count, setCount] = useState('8');
  const [sheet, setSheet] = useState<{ orgName: string; cards: IssuedCard[] } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [cardNo, setCardNo] = useState('');
  const [wishId, setWishId] = useState('');
  const [linked, setLinked] = useState('');

  const make = async () => {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 40) return setError('一次印 1 到 40 张。');
    setBusy(true);
    setError('');
    try {
      setSheet(await call('wishCards', { mode: 'issue', count: n, ...CODE }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const link = async () => {
    setError('');
    setLinked('');
    try {
      await call('wishCards', { mode: 'link', cardNo, wishId: wishId.trim() });
      setLinked(`心愿卡 ${cardNo} 已登记。`);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <Frame className="print-cards">
      <View className="card no-print">
        <TextField
          label="张数"
          name="card-count"
          type="number"
          value={count}
          onChange={setCount}
          maxlength={2}
          hint="每张 A4 纸印 8 张卡"
        />
        <View className="btn-row">
          <Button className="btn btn-primary btn-make-cards" loading={busy} disabled={busy} onClick={() => void make()}>
            生成心愿卡
          </Button>
          <PrintButton ready={!!sheet} />
        </View>
        <PinOnce ready={!!sheet} />
      </View>
      <FormError message={error} />
      {sheet ? (
        <View className="card-sheet">
          {sheet.cards.map((c) => (
            <View key={c.cardNo} className="wish-card-print">
              <Text className="wc-org">{sheet.orgName} · 微心愿卡</Text>
              <Text className="wc-line">我的心愿：</Text>
              <Text className="wc-blank"> </Text>
              <Text className="wc-blank"> </Text>
              <Text className="wc-line">联系人：{'\u3000'.repeat(5)}电话：</Text>
              <Text className="wc-line">住址：</Text>
              <CodeRow qr={c.qr} cardNo={c.cardNo} />
              <View className="wc-stub">
                <Text className="wc-stub-text">
                  存根（请居民留存）卡号 {c.cardNo}
                  {'\u3000'}查询码 {c.pin}
                </Text>
              </View>
            </View>
          ))}
        </View>
      ) : null}
      <View className="card no-print">
        <Text className="card-title">登记收回的心愿卡</Text>
        <Text className="field-hint">先在“代录”里把卡上的心愿录入（收集渠道选“心愿卡”），再把卡号和心愿编号填在这里。</Text>
        <TextField label="心愿卡号" name="link-card" value={cardNo} onChange={setCardNo} placeholder="XXXX-XXXX-XXXX" />
        <TextField label="心愿编号" name="link-wish" value={wishId} onChange={setWishId} />
        <Button className="btn btn-quiet btn-link-card" onClick={() => void link()}>
          登记
        </Button>
        {linked ? <Text className="card-line">{linked}</Text> : null}
      </View>
    </Frame>
  );
}
