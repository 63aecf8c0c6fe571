/** The 今日待办 strip of the organiser's workbench, as the morning walks (browser and weapp) expect it: each tile's
 * label and the orgWishes list it opens, whose length the tile's number must equal. */
export const TODO_LISTS: Record<string, string> = {
  待登记: 'collected',
  待发布: 'registered',
  待销号: 'reviewed',
  延期申请: 'extension',
  待内容审核: 'held',
  已逾期: 'overdue',
};
