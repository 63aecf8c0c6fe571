export default definePageConfig({ navigationBarTitleText: '印制心愿卡' });
