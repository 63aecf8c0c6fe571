import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { photoUrl } from '@/services/gateway';

/** Photos (private views only); a tap opens the platform's viewer. */
export function Photos(props: { ids: string[]; className?: string }) {
  const urls = props.ids.map(photoUrl);
  return (
    <View className={`photos ${props.className ?? ''}`}>
      {urls.map((u) => (
        <Image key={u} className="photo" src={u} mode="aspectFill" onClick={() => void Taro.previewImage({ urls, current: u })} />
      ))}
    </View>
  );
}
