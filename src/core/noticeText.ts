/**
 * The privacy notice's words (PIPL art. 14, 17, 29): one text for H5 and weapp; its version is
 * NOTICE_VERSION in ./trust.ts. Not re-exported from the core's index on purpose: only the consent screen
 * (the `consent` subpackage) imports this file, so the mini-program's main package does not carry the text.
 */

export const NOTICE_TITLE = '个人信息保护告知书';

/** Plain words, short paragraphs: read aloud to an elderly resident if needed. */
export const NOTICE_PARAGRAPHS = [
  '微心愿由社区和党组织运营，帮助您把生活中的小困难、小心愿告诉身边的党员和社区工作人员。',
  '我们收集：您的姓名、电话、住址和心愿内容。用途只有一个：让社区登记您的心愿，让认领的党员能联系到您、帮您办好。',
  '谁能看到：认领墙和其他人只看到“姓氏+某”、所在社区、心愿分类，以及社区工作人员确认的公开标题和公开摘要，看不到您写的心愿标题和内容。您的姓名、电话、住址和心愿原话，只有您所在社区的工作人员和正在为您办理的党员能看到，每次查看都有记录。',
  '保存多久：心愿办结满一年后，您的姓名、电话、住址和心愿内容会被自动删除，只保留不含个人信息的统计数字。',
  '您的权利：您可以随时在“我的”页面导出或删除自己的信息，也可以撤回心愿。有疑问请联系您所在的社区。',
];

export const SENSITIVE_NOTICE_PARAGRAPHS = [
  '健康状况、残疾情况和家庭收入属于敏感个人信息。',
  '只有在您单独同意后，我们才会保存这些信息；它们只给您所在社区的工作人员和正在为您办理的党员看，用于判断怎样帮助您。',
  '不填写这些信息，也可以正常提交心愿。',
];
