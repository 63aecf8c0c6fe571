export default definePageConfig({ navigationBarTitleText: '打印回执' });
