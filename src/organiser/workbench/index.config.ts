export default definePageConfig({ navigationBarTitleText: '督办台', enablePullDownRefresh: true });
