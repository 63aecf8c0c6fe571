import { useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { CHANNEL_LABEL, CollectEvent, parseEvent, type Channel, type WishView } from '@/core';
import { call, messageOf, newRequestId } from '@/services/gateway';
import { Chips } from './Chips';
import { FormError, TextAreaField, TextField } from './Field';

type OffChannel = Exclude<Channel, 'app'>;
const CHANNEL_OPTIONS = (['card', 'box', 'hotline', 'visit', 'survey', 'forum'] as const).map((value) => ({
  value,
  label: CHANNEL_LABEL[value],
}));

/** 许愿 / 代居民录入. Validates with the same schema as the `collect` function. */
export function PostForm(props: { onBehalf: boolean; onDone: (wish: WishView) => void }) {
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [address, setAddress] = useState('');
  const [channel, setChannel] = useState<OffChannel | ''>('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const requestId = useRef(newRequestId()); // one per form: a double tap writes once
  const inFlight = useRef(false);

  async function submit() {
    if (inFlight.current) return;
    if (props.onBehalf && !channel) {
      setError('收集渠道:请选择收集渠道');
      return;
    }
    const parsed = parseEvent(CollectEvent, {
      title,
      content,
      contactName,
      contactPhone,
      address,
      ...(props.onBehalf ? { channel } : {}),
      requestId: requestId.current,
    });
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError('');
    inFlight.current = true;
    setBusy(true);
    try {
      const wish = await call<WishView>('collect', parsed.value);
      props.onDone(wish);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <View className="post-form">
      {props.onBehalf ? (
        <View className="field">
          <Text className="field-label">收集渠道</Text>
          <Chips options={CHANNEL_OPTIONS} value={channel} onChange={setChannel} className="channel-chips" />
        </View>
      ) : null}
      <TextField
        label="心愿标题"
        name="input-title"
        value={title}
        onChange={setTitle}
        maxlength={40}
        placeholder="一句话说清楚,例如:想请人陪我聊聊天"
      />
      <TextAreaField
        label="心愿内容"
        name="input-content"
        value={content}
        onChange={setContent}
        maxlength={500}
        placeholder="具体需要什么帮助"
      />
      <TextField label="联系人" name="input-contact-name" value={contactName} onChange={setContactName} maxlength={20} />
      <TextField
        label="联系电话"
        name="input-contact-phone"
        value={contactPhone}
        onChange={setContactPhone}
        maxlength={13}
        hint="11 位手机号或带区号的固定电话"
      />
      <TextField label="地址" name="input-address" value={address} onChange={setAddress} maxlength={100} placeholder="小区、楼栋、门牌号" />
      <Text className="field-hint">电话和地址只给社区和帮您办事的党员看,不会公开。</Text>
      <FormError message={error} />
      <Button className="btn btn-primary btn-submit" disabled={busy} onClick={() => void submit()}>
        {busy ? '正在提交…' : '提交心愿'}
      </Button>
    </View>
  );
}
