/**
 * What a printed wish card and a printed receipt share: the code they carry, the row with that code and the card
 * number, and the bar above the sheet (print in H5; the PIN is shown only once).
 */
import { Button, Image, Text, View } from '@tarojs/components';

/** In the mini-program the printed cards and receipts carry a mini-program code (wxacode.getUnlimited, scene = the
 * card number); in H5 a standard QR code of the H5 page. Sent as the `code` of wishCards issue / receipt. */
export const CODE: { code?: 'wxacode' } = process.env.TARO_ENV === 'weapp' ? { code: 'wxacode' } : {};

/** What the printed card tells its holder to do with its code (server/cards.ts `codeKind`): a mini-program code opens
 * only in WeChat; the web page's QR code opens with any phone camera (or WeChat) in the browser. */
export const CODE_HINT = {
  wxacode: '用微信扫一扫打开小程序查看进度',
  qr: '用手机相机或微信扫码，在浏览器里查看进度',
} as const;

/** The code that opens the card's progress page, with its card number and how to open it; on a blank card, where
 * to hand it in once filled (`returnTo`, beside the code where the card has room: issue 22). */
export function CodeRow(props: { qr: string; cardNo: string; codeKind?: keyof typeof CODE_HINT; returnTo?: string }) {
  return (
    <View className="wc-qr-row">
      <Image className="wc-qr" src={props.qr} />
      <View className="wc-qr-text">
        <Text className="wc-no">卡号 {props.cardNo}</Text>
        <Text className="wc-hint">{CODE_HINT[props.codeKind ?? 'qr']}</Text>
        {props.returnTo?.trim() ? <Text className="wc-return">填好后请交回：{props.returnTo.trim()}</Text> : null}
      </View>
    </View>
  );
}

/** The print button (H5 prints the page; in the mini-program the same page is opened in a browser to print). */
export function PrintButton({ ready }: { ready: boolean }) {
  return ready && process.env.TARO_ENV === 'h5' ? (
    <Button className="btn btn-quiet btn-print" onClick={() => window.print()}>
      打印
    </Button>
  ) : null;
}

/** Said once the sheet is made: its PINs are never shown again. */
export function PinOnce({ ready }: { ready: boolean }) {
  return ready ? <Text className="field-hint">查询码只在这里显示一次，请现在就打印。</Text> : null;
}
