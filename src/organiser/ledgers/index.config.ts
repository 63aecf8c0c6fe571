export default definePageConfig({ navigationBarTitleText: '台账导出与导入' });
