/**
 * Stable error codes. Every cloud function answers `{ code: 0, data }` or `{ code, message }`
 * with one of these codes; the message is Chinese and meant for the person using the app.
 * `status` is the HTTP status the local cloud (and any HTTP gateway) answers with.
 */
export const ERRORS = {
  'INPUT.INVALID': { status: 400, message: '填写的内容有误，请检查后再试' },
  'INPUT.DATE_OUT_OF_RANGE': { status: 400, message: '日期不在允许的范围内' },
  'INPUT.UNKNOWN_CATEGORY': { status: 400, message: '没有这个心愿分类' },
  'INPUT.TOO_LARGE': { status: 413, message: '提交的内容太大了' },
  'AUTH.NO_IDENTITY': { status: 401, message: '请先登录' },
  'AUTH.FORBIDDEN': { status: 403, message: '您没有权限做这件事' },
  'AUTH.OUT_OF_SCOPE': { status: 403, message: '这个心愿不属于您所在的组织' },
  'WISH.NOT_FOUND': { status: 404, message: '没有找到这个心愿' },
  'FUNCTION.NOT_FOUND': { status: 404, message: '没有这个功能' },
  'WISH.WRONG_STATE': { status: 409, message: '心愿当前的状态不能做这件事' },
  'WISH.ALREADY_CLAIMED': { status: 409, message: '手慢了，这个心愿已被其他党员认领' },
  'WISH.CONFLICT': { status: 409, message: '心愿刚刚被别人更新了，请刷新后再试' },
  'WISH.NO_EVIDENCE': { status: 409, message: '还没有落实记录，不能销号' },
  'WISH.NO_FEEDBACK': { status: 409, message: '还没有居民反馈或回访记录，不能销号' },
  'WISH.NO_READER': {
    status: 409,
    message: '这位居民没有使用小程序，收不到留言。请按心愿里的联系方式打电话，或请社区转达。',
  },
  'WISH.NO_SUMMARY': {
    status: 409,
    message: '发布前请先确认公开摘要：认领墙上只显示社区确认过的摘要，不显示居民的原话（不要写姓名、电话、住址和病情）',
  },
  'WISH.CHASED_TODAY': { status: 409, message: '今天已经催办过这个心愿，明天再催吧' },
  'CLAIM.LIMIT_REACHED': { status: 409, message: '您手上未完成的认领已达上限，请先完成或放弃一个再认领' },
  'SYSTEM.ERROR': { status: 500, message: '系统繁忙，请稍后再试' },
  // The local cloud's first start, while it puts the demo data in (localcloud/main.ts): every client waits.
  'SYSTEM.STARTING': { status: 503, message: '正在准备演示数据，请稍候' },
  // Trust: consent, content safety, rate limits, membership.
  'CONSENT.REQUIRED': { status: 403, message: '请先阅读并同意《个人信息保护告知书》' },
  'CONSENT.SENSITIVE_REQUIRED': { status: 403, message: '填写健康、残疾或收入情况前，请先单独同意敏感个人信息的处理' },
  'CONTENT.RISKY': { status: 422, message: '内容含有不适宜发布的信息，请修改后再提交' },
  'CONTENT.REVIEW': { status: 422, message: '内容需要人工审核，请换一种说法后再提交' },
  'CONTENT.HELD': { status: 409, message: '这个心愿正在等待内容审核，审核通过前不能办理' },
  'RATE.LIMITED': { status: 429, message: '操作太频繁了，请稍后再试' },
  'INVITE.INVALID': { status: 404, message: '邀请码无效或已过期' },
  'USER.NOT_FOUND': { status: 404, message: '没有找到这个用户' },
  /** nudge: not a party member the caller may nudge — unknown, not a member, or of another community: one answer for
   * all, so a nudge never tells whether an openid is someone elsewhere (issue 19). */
  'MEMBER.NOT_FOUND': { status: 404, message: '没有找到您管辖范围内的这位党员' },
  'ORG.NOT_FOUND': { status: 404, message: '没有找到这个组织' },
  'PHOTO.NOT_OWNED': { status: 403, message: '照片不是您为这件事上传的，请重新选择照片' },
  // Batches in (issue 11): a spreadsheet of wishes entered at once.
  'IMPORT.NOT_SPREADSHEET': { status: 415, message: '这个文件不是 Excel 表格（.xlsx），请用下载的模板填写后再导入' },
  'IMPORT.TOO_LARGE': { status: 413, message: '文件太大了，一次最多 2 MB，请分成几个文件导入' },
  'IMPORT.TOO_MANY_ROWS': { status: 413, message: '一次最多导入 2000 行，请分成几个文件导入' },
  'IMPORT.UNKNOWN_COLUMN': { status: 400, message: '表格的列和模板不一致，请用下载的模板填写' },
  'IMPORT.TEMPLATE_VERSION': { status: 400, message: '模板版本不对，请下载最新的导入模板重新填写' },
  'IMPORT.EMPTY': { status: 400, message: '表格里没有要导入的心愿' },
  'IMPORT.FILE_NOT_FOUND': { status: 404, message: '没有找到您上传的文件，请重新选择文件' },
  // Paper wish cards (issue 11).
  'CARD.NOT_FOUND': { status: 404, message: '没有找到这张心愿卡，请核对卡号' },
  'CARD.IN_USE': { status: 409, message: '这张心愿卡已经登记了别的心愿' },
  'CARD.PIN_WRONG': { status: 403, message: '查询码不对，请核对心愿卡存根上的查询码' },
  'CARD.LOCKED': { status: 429, message: '查询码输错的次数太多，请一小时后再试，或请社区工作人员重新生成查询码' },
  'CARD.CODE_FAILED': { status: 502, message: '小程序码暂时生成不了，请稍后再试' },
  // Quotas and the rhythm (issue 9).
  'QUOTA.ALREADY_MET': { status: 409, message: '这位党员今年已经完成了认领指标，不需要提醒' },
  'BULLETIN.NOT_FOUND': { status: 404, message: '没有找到这份通报' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}

export function fail(code: ErrorCode, message?: string): Failure {
  return { ok: false, code, message: message ?? ERRORS[code].message };
}

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && (x as Failure).ok === false && typeof (x as Failure).code === 'string';
}

/** HTTP status for a function answer code (0 = success). Unknown codes are server errors. */
export function httpStatusOf(code: string | number): number {
  if (code === 0) return 200;
  const known = (ERRORS as Record<string, { status: number }>)[String(code)];
  return known ? known.status : 500;
}

/** The wire shape every cloud function answers with. */
export type Answer<T> = { code: 0; data: T } | { code: ErrorCode; message: string };
