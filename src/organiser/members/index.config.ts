export default definePageConfig({ navigationBarTitleText: '党员管理', enablePullDownRefresh: true });
