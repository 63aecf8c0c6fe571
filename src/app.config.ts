export default defineAppConfig({
  pages: ['pages/index/index', 'pages/post/index', 'pages/mine/index', 'pages/wish/index', 'pages/notices/index'],
  subPackages: [
    { root: 'member', pages: ['board/index', 'claims/index', 'year/index'] },
    {
      root: 'organiser',
      pages: [
        'workbench/index',
        'queue/index',
        'wish/index',
        'members/index',
        'moderation/index',
        'audit/index',
        'ledgers/index',
        'cards/index',
        'receipt/index',
        'bulletins/index',
      ],
    },
    { root: 'account', pages: ['join/index', 'data/index'] },
    { root: 'consent', pages: ['index'] },
    { root: 'card', pages: ['index'] },
    // 公开栏: anyone, no sign-in; shareable.
    { root: 'public', pages: ['index'] },
  ],
  window: {
    // H5: Taro's router shows its header (title, and a back button on inner pages) only for 'default'; the
    // mini-program's own navigation bar is the same style.
    navigationStyle: 'default',
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#b71c1c',
    navigationBarTitleText: '微心愿',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f6f1ea',
  },
});
