export default definePageConfig({ navigationBarTitleText: '我的一年', enablePullDownRefresh: true });
