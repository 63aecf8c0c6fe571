export default definePageConfig({ navigationBarTitleText: '台账表格' });
