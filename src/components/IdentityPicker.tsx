/**
 * H5 ONLY (local demo): choose who you are. The home page requires this file only behind
 * `process.env.TARO_ENV === 'h5'`, so it is not in the mini-program build.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { DEMO_USERS, currentOpenid, setOpenid } from '@/services/devIdentity';

export default function IdentityPicker(props: { onChange: (openid: string) => void }) {
  const [current, setCurrent] = useState(currentOpenid());
  return (
    <View className="demo-box identity-picker">
      <Text className="demo-tag">本地演示</Text>
      <Text className="field-hint">选择演示身份（只在本地网页版出现，小程序里没有）</Text>
      <View className="chips">
        {DEMO_USERS.map((u) => (
          <View
            key={u.openid}
            className={`chip identity-option identity-${u.openid}${u.openid === current ? ' chip-on' : ''}`}
            data-openid={u.openid}
            onClick={() => {
              setOpenid(u.openid);
              setCurrent(u.openid);
              props.onChange(u.openid);
            }}
          >
            {u.roleLabel} {u.name}
          </View>
        ))}
      </View>
    </View>
  );
}
