import './public.css';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { useCalled } from '@/components/useCalled';
import { chinaDay } from '@/core/dates';

interface Figures {
  handled: number;
  inProgress: number;
  finished: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  feedback: number;
}
interface Results {
  org: { id: string; name: string };
  parent: { id: string; name: string } | null;
  periods: { month: string; year: string };
  month: Figures;
  year: Figures;
  units: Array<{ id: string; name: string; month: Figures; year: Figures }>;
  recent: Array<{ summary: string; category: string; closedOn: string }>;
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

function Block(props: { title: string; f: Figures }) {
  const { f } = props;
  return (
    <View className="card pub-block">
      <Text className="card-title">{props.title}</Text>
      <View className="pub-figures">
        <Text className="pub-figure">受理 {f.handled}</Text>
        <Text className="pub-figure">办理中 {f.inProgress}</Text>
        <Text className="pub-figure">已办结 {f.finished}</Text>
      </View>
      <Text className="card-line">按期办结率：{pct(f.onTimeRate)}</Text>
      <Text className="card-line">
        群众满意率：{pct(f.satisfactionRate)}（{f.feedback} 条评价）
      </Text>
    </View>
  );
}

/** 公开栏: results per unit for this month and this year, and recently finished wishes (public summary and category
 * only). Anyone may open it: no sign-in. */
export default function PublicResults() {
  const orgId = useRouter().params.orgId;
  const { data, error, load } = useCalled<Results>('publicResults', orgId ? { orgId } : {});
  useShareAppMessage(() => ({ title: `${data?.org.name ?? ''}微心愿公开栏`, path: `/public/index${orgId ? `?orgId=${orgId}` : ''}` }));
  const open = (id: string) => void Taro.navigateTo({ url: `/public/index?orgId=${id}` });

  if (!data)
    return (
      <Frame className="public">
        {error ? (
          <View className="card">
            <Text className="state-error">{error}</Text>
            <Button className="btn btn-retry" onClick={() => void load()}>
              重新加载
            </Button>
          </View>
        ) : (
          <Text className="muted">正在读取…</Text>
        )}
      </Frame>
    );
  return (
    <Frame className="public">
      <View className="card">
        <Text className="card-title pub-org">{data.org.name} 微心愿公开栏</Text>
        <Text className="card-line muted">事项群众认定、过程群众监督、结果群众评价</Text>
        {data.parent ? (
          <Text className="card-line link pub-parent" onClick={() => open(data.parent!.id)}>
            ‹ 查看{data.parent.name}
          </Text>
        ) : null}
      </View>
      <Block title={`本月（${Number(data.periods.month.slice(5))}月）`} f={data.month} />
      <Block title={`今年（${data.periods.year}年）`} f={data.year} />
      {data.units.length ? (
        <>
          <Text className="section-title">各单位（今年）</Text>
          {data.units.map((u) => (
            <View key={u.id} className="card pub-unit" onClick={() => open(u.id)}>
              <Text className="card-title">{u.name} ›</Text>
              <Text className="card-line">
                受理 {u.year.handled}，办理中 {u.year.inProgress}，已办结 {u.year.finished}，满意率 {pct(u.year.satisfactionRate)}
              </Text>
            </View>
          ))}
        </>
      ) : null}
      <Text className="section-title">最近办结</Text>
      {data.recent.length ? (
        data.recent.map((r, i) => (
          <View key={i} className="card pub-recent">
            <Text className="card-line">
              【{r.category}】{r.summary || '（已办结）'}
            </Text>
            <Text className="card-line muted">{chinaDay(r.closedOn)}办结</Text>
          </View>
        ))
      ) : (
        <Text className="muted">还没有办结的心愿。</Text>
      )}
    </Frame>
  );
}
