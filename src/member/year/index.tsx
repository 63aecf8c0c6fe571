/**
 * 我的一年: a party member's year (China time) — how many wishes they claimed were closed, against the yearly quota
 * (at least 1 by default), and this year's wishes: those closed (counted), those in hand (`myYear`).
 */
import '../member.css';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { useCalled } from '@/components/useCalled';
import { chinaDay } from '@/core/dates';

interface Year {
  year: string;
  done: number;
  target: number;
  met: boolean;
  items: Array<{
    _id: string;
    title: string;
    status: string;
    claimedOn: string | null;
    promisedBy: string | null;
    closedOn: string | null;
    counted: boolean;
  }>;
}

const STATUS: Record<string, string> = {
  claimed: '正在办',
  fulfilled: '已落实，等居民评价',
  reviewed: '居民已评价，等社区销号',
  closed: '已销号',
  published: '已退回认领墙',
};
const day = (d: string) => chinaDay(d);

export default function MyYear() {
  const { data, error, load } = useCalled<Year>('myYear', {});
  if (!data)
    return (
      <Frame className="my-year">
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
    <Frame className="my-year">
      <View className={`card year-card${data.met ? ' year-met' : ' year-open'}`}>
        <Text className="card-title">{data.year}年，我办结的微心愿</Text>
        <Text className="year-count">{data.done}</Text>
        <Text className="card-line year-quota">
          {data.met
            ? `已完成年度指标（每年至少 ${data.target} 个）`
            : `年度指标：每年至少 ${data.target} 个，还差 ${data.target - data.done} 个`}
        </Text>
        {!data.met ? (
          <Button className="btn btn-primary btn-board" onClick={() => void Taro.navigateTo({ url: '/member/board/index' })}>
            去认领墙看看
          </Button>
        ) : null}
      </View>
      <Text className="section-title">今年的心愿</Text>
      {data.items.length ? (
        data.items.map((w) => (
          <View
            key={w._id}
            className="card year-wish"
            data-id={w._id}
            onClick={() => void Taro.navigateTo({ url: `/pages/wish/index?id=${w._id}` })}
          >
            <Text className="card-title">{w.title}</Text>
            <Text className="card-line">
              {STATUS[w.status] ?? '已结束'}
              {w.counted ? '，计入今年' : ''}
            </Text>
            <Text className="card-line muted">
              {w.claimedOn ? `${day(w.claimedOn)}认领` : ''}
              {w.closedOn ? `，${day(w.closedOn)}销号` : w.promisedBy && w.status === 'claimed' ? `，承诺${day(w.promisedBy)}前办好` : ''}
            </Text>
          </View>
        ))
      ) : (
        <Text className="muted">今年还没有认领心愿。到认领墙看看谁需要帮助吧。</Text>
      )}
    </Frame>
  );
}
