export default definePageConfig({ navigationBarTitleText: '认领墙', enablePullDownRefresh: true });
