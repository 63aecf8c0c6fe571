/**
 * 心愿进度 by card (issue 11): what a paper wish card's QR code opens (`card/index?no=…`), for the resident, a relative
 * or a neighbour — like tracking a parcel: the stages with their days, who took it on (已被幸福里社区党员认领), the
 * promised date. Nothing personal is shown (privacy.ts cardProgress). When the wish is done, the PIN on the card's stub
 * lets its holder say whether they are satisfied, without an account. A subpackage of its own: the main package stays
 * as it is.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { FormError, TextField } from '@/components/Field';
import { formatDay } from '@/components/format';
import { call, messageOf } from '@/services/gateway';
import { cardNoFromLaunch } from './launch';

export interface CardView {
  cardNo: string;
  orgName: string;
  linked: boolean;
  status?: string;
  stages?: Array<{ stage: string; day: string }>;
  claimedBy?: string | null;
  promisedBy?: string | null;
  canFeedback?: boolean;
}

type Satisfaction = 'satisfied' | 'basically' | 'unsatisfied';
const SATISFACTION: { value: Satisfaction; label: string }[] = [
  { value: 'satisfied', label: '满意' },
  { value: 'basically', label: '基本满意' },
  { value: 'unsatisfied', label: '不满意' },
];

/** The mini-program's enter (or launch) options: a scanned mini-program code's scene when it opened the app here. */
function launchOptions(): { path?: string; query?: Record<string, string | undefined> } | null {
  if (process.env.TARO_ENV === 'h5') return null;
  try {
    const t = Taro as unknown as Record<string, (() => { path?: string; query?: Record<string, string> }) | undefined>;
    return (t.getEnterOptionsSync ?? t.getLaunchOptionsSync)?.() ?? null;
  } catch {
    return null;
  }
}

/** The heading once the wish is done: who claimed it and by when no longer tells the family anything (issue 22). */
const DONE_HEADLINE: Record<string, string> = {
  fulfilled: '心愿已经办好了，请告诉我们您是否满意。',
  reviewed: '心愿已经办好，已收到您的反馈。',
  closed: '心愿已办结，谢谢您的反馈。',
};

export default function CardProgressPage() {
  const router = useRouter();
  const [no, setNo] = useState(() => cardNoFromLaunch(router.params, launchOptions()));
  const [view, setView] = useState<CardView | null>(null);
  const [error, setError] = useState('');
  const [pin, setPin] = useState('');
  const [satisfaction, setSatisfaction] = useState<Satisfaction | null>(null);
  const [sending, setSending] = useState(false);
  const [thanks, setThanks] = useState('');

  const look = async (cardNo: string) => {
    setError('');
    try {
      setView(await call<CardView>('wishCards', { mode: 'progress', cardNo }));
    } catch (e) {
      setView(null);
      setError(messageOf(e));
    }
  };
  useEffect(() => {
    if (no) void look(no);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const send = async () => {
    if (!view || sending) return;
    if (!/^\d{6}$/.test(pin)) return setError('请填写心愿卡存根上的 6 位查询码。');
    if (!satisfaction) return setError('请选择满意程度。');
    setSending(true);
    setError('');
    try {
      setView(await call<CardView>('wishCards', { mode: 'feedback', cardNo: view.cardNo, pin, satisfaction }));
      setThanks('谢谢您的反馈！');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <Frame className="card-progress">
      {!view ? (
        <View className="card">
          <TextField
            label="心愿卡号"
            name="card-no"
            value={no}
            onChange={setNo}
            placeholder="例如 7K3M-9QXA-2B4C"
            hint="卡号印在心愿卡的二维码下面"
          />
          <Button className="btn btn-primary btn-look" onClick={() => void look(no)}>
            查看进度
          </Button>
        </View>
      ) : (
        <View className="card card-view">
          <Text className="card-title">
            {view.orgName} · 心愿卡 {view.cardNo}
          </Text>
          {!view.linked ? (
            <Text className="card-line">社区还没有收到这张心愿卡，收到后这里会显示办理进度。</Text>
          ) : (
            <View>
              {view.status && DONE_HEADLINE[view.status] ? (
                <Text className="card-line card-done">{DONE_HEADLINE[view.status]}</Text>
              ) : (
                <>
                  {view.claimedBy ? <Text className="card-line card-claimed">{view.claimedBy}</Text> : null}
                  {view.promisedBy ? <Text className="card-line card-promised">承诺 {formatDay(view.promisedBy)}前办好</Text> : null}
                </>
              )}
              <View className="card-stages">
                {(view.stages ?? []).map((s, i) => (
                  <Text key={`${s.stage}-${i}`} className="card-line card-stage">
                    {formatDay(s.day)}
                    {'\u3000'}
                    {s.stage}
                  </Text>
                ))}
              </View>
            </View>
          )}
        </View>
      )}
      {view?.canFeedback ? (
        <View className="card card-feedback">
          <Text className="card-title">心愿办好了吗？请告诉我们</Text>
          <Chips options={SATISFACTION} value={satisfaction} onChange={setSatisfaction} className="satisfaction-chips" />
          <TextField
            label="查询码"
            name="card-pin"
            type="number"
            value={pin}
            onChange={setPin}
            maxlength={6}
            hint="印在心愿卡存根上的 6 位数字"
          />
          <Button className="btn btn-primary btn-card-feedback" loading={sending} disabled={sending} onClick={() => void send()}>
            提交反馈
          </Button>
        </View>
      ) : null}
      {thanks ? <Text className="card-line card-thanks">{thanks}</Text> : null}
      <FormError message={error} />
    </Frame>
  );
}
