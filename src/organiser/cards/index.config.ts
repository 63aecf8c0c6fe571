export default definePageConfig({ navigationBarTitleText: '印心愿卡' });
