export default definePageConfig({ navigationBarTitleText: '公开栏', enablePullDownRefresh: true, enableShareAppMessage: true });
