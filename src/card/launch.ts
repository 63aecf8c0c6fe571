/**
 * Which card the page is for. The H5 link carries `?no=<card>`; in the mini-program the card's code is a
 * mini-program code (`wxacode.getUnlimited`, scene = the card number), and WeChat opens `card/index` with the scene
 * URL-encoded in the page's options (`scene`) — and in the launch options' query when the scan started the
 * mini-program. Read in that order; the first that is there wins.
 */
type Query = Record<string, string | undefined> | undefined;

const decoded = (s: string | undefined): string => {
  if (!s) return '';
  try {
    return decodeURIComponent(s).trim();
  } catch {
    return s.trim();
  }
};

export function cardNoFromLaunch(params: Query, launch?: { path?: string; query?: Query } | null): string {
  const fromPage = decoded(params?.no) || decoded(params?.scene);
  if (fromPage) return fromPage;
  if (launch && (launch.path ?? '').replace(/^\//, '').startsWith('card/index'))
    return decoded(launch.query?.scene) || decoded(launch.query?.no);
  return '';
}
