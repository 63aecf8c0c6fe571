export default definePageConfig({ navigationBarTitleText: '心愿进度' });
