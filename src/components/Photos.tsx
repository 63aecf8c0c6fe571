import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { photoUrls } from '@/services/gateway';

/** Photos of a wish (private views only), shown through the short-lived URLs of the fileUrls function — storage
 * itself is private. A tap opens the platform's viewer. Photos the caller may not see (or that are gone) stay out. */
export function Photos(props: { ids: string[]; className?: string }) {
  const key = props.ids.join('\n');
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    photoUrls(props.ids).then(
      (map) => live && setUrls(props.ids.map((id) => map[id]).filter((u): u is string => Boolean(u))),
      () => live && setUrls([]),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return (
    <View className={`photos ${props.className ?? ''}`}>
      {urls.map((u) => (
        <Image key={u} className="photo" src={u} mode="aspectFill" onClick={() => void Taro.previewImage({ urls, current: u })} />
      ))}
    </View>
  );
}
