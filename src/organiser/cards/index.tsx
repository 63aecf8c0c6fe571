/**
 * 印制心愿卡 (issue 11): an organiser makes a sheet of numbered wish cards (`wishCards` issue) and prints it — several
 * cards an A4 page, each with the organisation's name, lines for the wish and the contact, the QR code that opens the
 * card's progress page, the card number, and a stub with the PIN that the resident keeps. The PINs are shown only
 * now: print the sheet before leaving the page. In H5 the browser prints it (打印); in the mini-program, open the same
 * page in a browser to print. A returned card is linked to its wish (关联心愿卡) with the card number.
 */
import '../organiser.css';
import './cards.css';
import { useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { Frame } from '@/components/Frame';
import { FormError, TextField } from '@/components/Field';
import { call, messageOf } from '@/services/gateway';
import { CODE, CodeRow, PinOnce, PrintButton } from './print';

interface UnlinkedWish {
  wishId: string;
  wishNo: string;
  title: string;
  name: string;
  createdAt: string;
}

interface IssuedCard {
  cardNo: string;
  pin: string;
  url: string;
  qr: string;
  codeKind?: 'qr' | 'wxacode';
}

export default function PrintCards() {
  const [count, setCount] = useState('8');
  const [sheet, setSheet] = useState<{ orgName: string; returnTo?: string; cards: IssuedCard[] } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [cardNo, setCardNo] = useState('');
  const [wishNo, setWishNo] = useState('');
  const [picked, setPicked] = useState<UnlinkedWish | null>(null);
  const [unlinked, setUnlinked] = useState<UnlinkedWish[]>([]);
  const [linked, setLinked] = useState('');

  // 待关联的心愿: wishes entered from a card that have no card yet, to pick instead of typing the number.
  const loadUnlinked = async () => {
    try {
      setUnlinked((await call<{ items: UnlinkedWish[] }>('wishCards', { mode: 'unlinked' })).items);
    } catch {
      setUnlinked([]);
    }
  };
  useEffect(() => {
    void loadUnlinked();
  }, []);

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
      const by = picked ? { wishId: picked.wishId } : { wishNo: wishNo.trim() };
      const r = await call<{ cardNo: string; wishNo?: string }>('wishCards', { mode: 'link', cardNo, ...by });
      // The list of wishes without a card is current when the message appears.
      await loadUnlinked();
      setLinked(`心愿卡 ${r.cardNo} 已关联到心愿 ${r.wishNo ?? ''}。`);
      setPicked(null);
      setWishNo('');
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
              <CodeRow qr={c.qr} cardNo={c.cardNo} codeKind={c.codeKind} returnTo={sheet.returnTo} />
              <View className="wc-stub wc-stub-card">
                <Text className="wc-stub-text">
                  存根（居民留存）卡号 <Text className="wc-stub-no">{c.cardNo}</Text>
                </Text>
                <View className="wc-pin">
                  <Text className="wc-pin-label">查询码</Text>
                  <Text className="wc-pin-no">{c.pin}</Text>
                </View>
              </View>
            </View>
          ))}
        </View>
      ) : null}
      <View className="card no-print">
        <Text className="card-title">关联收回的心愿卡</Text>
        <Text className="field-hint">
          代录时收集渠道选“心愿卡”并填上卡号，就不用再来这里。已经录入的心愿：填卡号，再填心愿编号（心愿页和台账上的 8
          位编号），或从下面选。
        </Text>
        <TextField label="心愿卡号" name="link-card" value={cardNo} onChange={setCardNo} placeholder="XXXX-XXXX-XXXX" />
        <TextField
          label="心愿编号"
          name="link-wish"
          value={picked ? picked.wishNo : wishNo}
          onChange={(s) => {
            setPicked(null);
            setWishNo(s);
          }}
          placeholder="XXXX-XXXX"
        />
        {unlinked.length ? (
          <View className="unlinked-list">
            <Text className="field-hint">还没有心愿卡的心愿（收集渠道：心愿卡）：</Text>
            {unlinked.map((w) => (
              <View
                key={w.wishId}
                className={`unlinked-wish${picked?.wishId === w.wishId ? ' picked' : ''}`}
                onClick={() => setPicked(picked?.wishId === w.wishId ? null : w)}
              >
                <Text className="card-line">{[w.wishNo || '（无编号）', w.title, w.name].join('\u3000')}</Text>
              </View>
            ))}
          </View>
        ) : null}
        <Button className="btn btn-quiet btn-link-card" onClick={() => void link()}>
          关联
        </Button>
        {linked ? <Text className="card-line">{linked}</Text> : null}
      </View>
    </Frame>
  );
}
