import { useEffect, useRef, useState } from 'react';
import { Button, Image, Text, View } from '@tarojs/components';
import { CHANNEL_LABEL, CollectEvent, fieldIssues, normalisePhone, parseEvent, type Channel, type WishView } from '@/core';
import { call, messageOf, newRequestId } from '@/services/gateway';
import { usePhotos } from './usePhotos';
import { askToNotify } from '@/services/subscribe';
import { clearDraft, draftSaver, forgetContacts, loadDraft, rememberContacts, rememberedContacts, type PostDraft } from '@/services/drafts';
import { Chips } from './Chips';
import { toastError } from './format';
import { FormError, TextAreaField, TextField } from './Field';

type OffChannel = Exclude<Channel, 'app'>;
const CHANNEL_OPTIONS = (['card', 'box', 'hotline', 'visit', 'survey', 'forum'] as const).map((value) => ({
  value,
  label: CHANNEL_LABEL[value],
}));

const STEPS = ['需要什么', '怎么联系', '照片补充'];
type TextKey = 'title' | 'content' | 'contactName' | 'contactPhone' | 'address';
const STEP_FIELDS: TextKey[][] = [
  ['title', 'content'],
  ['contactName', 'contactPhone', 'address'],
];
const MAX_PHOTOS = 3;
/** The collect schema takes photos once the server accepts them; until then none are sent. */
const TAKES_PHOTOS = 'photos' in (CollectEvent as unknown as { entries: Record<string, unknown> }).entries;

/** 困难情况 (health, disability, income): sensitive details, asked only after the caller's separate consent. */
export interface Hardship {
  consent: boolean; // whoami's consent.sensitive: the caller gave the separate sensitive consent
  declined: boolean; // the consent page was opened for this form and the caller came back without agreeing
  ask: () => void; // open the consent page in its sensitive mode (subpackage `consent`)
}
const HARDSHIP_FIELDS = [
  { key: 'health', label: '健康状况', placeholder: '例如：腿脚不便、长期卧床' },
  { key: 'disability', label: '残疾情况', placeholder: '例如：视力残疾二级' },
  { key: 'income', label: '经济困难', placeholder: '例如：低保户、独居无固定收入' },
] as const;
type HardshipKey = (typeof HARDSHIP_FIELDS)[number]['key'];

/**
 * 许愿 / 代居民录入 in three short screens: 1 what I need, 2 how to reach me, 3 optional photos and the
 * optional 困难情况 (only with `hardship`). Each step is checked with the `collect` function's own schema.
 */
export function PostForm(props: {
  onBehalf: boolean;
  onDone: (wish: WishView) => void;
  hardship?: Hardship;
  /** The signed-in user's id: names this user's draft and remembered contacts on the device. */
  owner?: string;
}) {
  const owner = props.owner || 'me';
  const draftForm = props.onBehalf ? 'post-behalf' : 'post';
  // What the form opens with: the resident's remembered contacts (only she said yes to keep them; never for 代录,
  // where they are a different resident's each time), then a draft left by a refused or interrupted post.
  const [start] = useState(() => {
    const remembered = props.onBehalf ? null : rememberedContacts(owner);
    const blank: Record<TextKey, string> = { title: '', content: '', contactName: '', contactPhone: '', address: '', ...remembered };
    return { remembered, blank, draft: loadDraft(draftForm, owner) };
  });
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<Record<TextKey, string>>(() => {
    const d = start.draft ?? {};
    return Object.fromEntries(Object.entries(start.blank).map(([k, v]) => [k, d[k as TextKey] ?? v])) as Record<TextKey, string>;
  });
  const { title, content, contactName, contactPhone, address } = form;
  // Each field's problem, shown under that field; a field's goes away as soon as what is typed is right.
  const [problems, setProblems] = useState<Partial<Record<TextKey | 'channel' | 'cardNo', string>>>({});
  const [channel, setChannel] = useState<OffChannel | ''>(() =>
    props.onBehalf ? (CHANNEL_OPTIONS.find((o) => o.value === start.draft?.channel)?.value ?? '') : '',
  );
  const [cardNo, setCardNo] = useState(props.onBehalf ? (start.draft?.cardNo ?? '') : ''); // 代录 from a returned card: its number, linked at collect
  const [restored, setRestored] = useState(!!start.draft); // says so at the top, with 清空重填
  const [remember, setRemember] = useState(!!start.remembered); // 下次自动填好: kept after a successful post
  const [remembered, setRemembered] = useState(!!start.remembered); // contacts are on the device now
  const forgotten = !!start.remembered && !remembered; // 不再记住 was tapped on this form
  const [error, setError] = useState(''); // a refusal of the whole form (the server's message)
  const {
    photos,
    previews,
    uploading,
    add: addPhotos,
  } = usePhotos(MAX_PHOTOS, { purpose: 'collect' }, (e) => {
    setError(messageOf(e));
    toastError(e); // the function's own Chinese message, also where the form is scrolled away
  });
  const [busy, setBusy] = useState(false);
  const [wantsHardship, setWantsHardship] = useState(false); // tapped 填写困难情况
  const [hardship, setHardship] = useState<Record<HardshipKey, string>>({ health: '', disability: '', income: '' });
  // The fields are shown (and sent) only once the server has the caller's separate consent.
  const hardshipOpen = wantsHardship && !!props.hardship?.consent;
  const requestId = useRef(newRequestId()); // one per form: a double tap writes once
  const inFlight = useRef(false);

  // The draft follows what is typed (a moment after the last key) and is written at once when the page is left;
  // it goes only when the post succeeds. 困难情况 and photos are not kept: sensitive, and uploaded per form.
  const saver = useRef<ReturnType<typeof draftSaver> | null>(null);
  saver.current ??= draftSaver(draftForm, owner);
  const posted = useRef(false);
  useEffect(() => {
    if (posted.current) return;
    const draft: Partial<PostDraft> = { ...form, ...(props.onBehalf ? { channel, cardNo } : {}) };
    const untouched = !channel && !cardNo.trim() && (Object.keys(start.blank) as TextKey[]).every((k) => form[k] === start.blank[k]);
    if (untouched) {
      saver.current?.cancel();
      clearDraft(draftForm, owner);
    } else saver.current?.save(draft);
  }, [form, channel, cardNo]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(
    () => () => {
      if (!posted.current) saver.current?.flush();
    },
    [],
  );

  /** 清空重填: the restored draft goes, from the form and from the device. */
  function startOver() {
    saver.current?.cancel();
    clearDraft(draftForm, owner);
    setForm(start.blank);
    setChannel('');
    setCardNo('');
    setProblems({});
    setError('');
    setRestored(false);
    setStep(0);
  }

  /** The collect event; `withHardship` false leaves the 困难情况 out (steps 1 and 2 check only their own fields). */
  function event(withHardship = true) {
    return {
      title,
      content,
      contactName,
      contactPhone,
      address,
      ...(props.onBehalf ? { channel } : {}),
      ...(props.onBehalf && channel === 'card' && cardNo.trim() ? { cardNo: cardNo.trim() } : {}),
      ...(TAKES_PHOTOS && photos.length ? { photos } : {}),
      ...(withHardship && hardshipOpen && Object.values(hardship).some((x) => x.trim())
        ? { sensitive: Object.fromEntries(Object.entries(hardship).filter(([, x]) => x.trim())) }
        : {}),
      requestId: requestId.current,
    };
  }

  /** Step `s`'s problems by field (none when the step is complete). */
  function problemsOf(s: number, values = form, ch = channel): Partial<Record<TextKey | 'channel' | 'cardNo', string>> {
    // Later steps' fields are filled with valid stand-ins so only this step's fields can fail.
    const stand = s === 0 ? { contactName: '占位', contactPhone: '13800000000', address: '占位' } : {};
    const issues = fieldIssues(CollectEvent, { ...event(false), ...values, ...(props.onBehalf ? { channel: ch } : {}), ...stand });
    const out: Partial<Record<TextKey | 'channel' | 'cardNo', string>> = {};
    if (s === 0 && props.onBehalf && !ch) out.channel = '请选择收集渠道';
    if (s === 0 && issues.cardNo) out.cardNo = issues.cardNo;
    for (const k of STEP_FIELDS[s] ?? []) if (issues[k]) out[k] = issues[k];
    return out;
  }

  /** Type into field `k`: a problem shown for it is checked again and goes away once the field is right. */
  function change(k: TextKey, value: string) {
    const values = { ...form, [k]: value };
    setForm(values);
    if (problems[k])
      setProblems((p) => ({
        ...p,
        [k]: problemsOf(
          STEP_FIELDS.findIndex((f) => f.includes(k)),
          values,
        )[k],
      }));
  }

  function check(s: number): boolean {
    const p = problemsOf(s);
    setProblems(p);
    return Object.keys(p).length === 0;
  }

  function next() {
    setError('');
    if (check(step)) setStep(step + 1);
  }

  async function submit() {
    if (inFlight.current) return;
    for (const s of [0, 1]) {
      if (!check(s)) {
        setStep(s);
        return;
      }
    }
    const parsed = parseEvent(CollectEvent, event());
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError('');
    inFlight.current = true;
    setBusy(true);
    if (!props.onBehalf) void askToNotify(['rejected', 'claimed', 'feedbackNeeded']);
    saver.current?.flush(); // a refusal (or a lost connection) leaves the draft on the device
    try {
      const wish = await call<WishView>('collect', parsed.value);
      posted.current = true;
      saver.current?.cancel();
      clearDraft(draftForm, owner);
      if (!props.onBehalf && remember) {
        const v = parsed.value;
        rememberContacts(owner, { contactName: v.contactName, contactPhone: v.contactPhone, address: v.address });
      }
      props.onDone(wish);
    } catch (e) {
      setError(messageOf(e));
      toastError(e); // the function's own Chinese message, also where the form is scrolled away
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <View className={`post-form post-step-${step + 1}`}>
      <View className="steps">
        {STEPS.map((s, i) => (
          <Text key={s} className={`step${i === step ? ' step-on' : ''}${i < step ? ' step-done' : ''}`}>
            {i + 1}. {s}
          </Text>
        ))}
      </View>

      {restored ? (
        <View className="card draft-restored">
          <Text className="card-line">已恢复您上次没有提交的内容，可以接着填。</Text>
          <Button className="btn btn-quiet btn-start-over" onClick={startOver}>
            清空重填
          </Button>
        </View>
      ) : null}

      {step === 0 ? (
        <View className="post-step">
          {props.onBehalf ? (
            <View className={`field${problems.channel ? ' field-invalid' : ''}`}>
              <Text className="field-label">收集渠道</Text>
              <Chips
                options={CHANNEL_OPTIONS}
                value={channel}
                onChange={(c) => {
                  setChannel(c);
                  setProblems((p) => ({ ...p, channel: undefined }));
                }}
                className="channel-chips"
              />
              {problems.channel ? <Text className="field-error">收集渠道：{problems.channel}</Text> : null}
            </View>
          ) : null}
          {props.onBehalf && channel === 'card' ? (
            <TextField
              label="心愿卡号"
              name="input-card-no"
              value={cardNo}
              onChange={(x) => {
                setCardNo(x);
                setProblems((p) => ({ ...p, cardNo: undefined }));
              }}
              error={problems.cardNo}
              placeholder="XXXX-XXXX-XXXX"
              hint="卡上二维码下方的卡号；填了就不用再单独关联这张卡"
            />
          ) : null}
          <TextField
            label={props.onBehalf ? '心愿标题' : '您需要什么帮助？（一句话）'}
            name="input-title"
            value={title}
            onChange={(x) => change('title', x)}
            error={problems.title}
            maxlength={40}
            placeholder="例如：想请人陪我聊聊天"
          />
          <TextAreaField
            label="说得具体一点"
            name="input-content"
            value={content}
            onChange={(x) => change('content', x)}
            error={problems.content}
            maxlength={500}
            placeholder="什么时候、需要做什么"
          />
        </View>
      ) : null}

      {step === 1 ? (
        <View className="post-step">
          <TextField
            label={props.onBehalf ? '居民姓名' : '您的称呼'}
            name="input-contact-name"
            value={contactName}
            onChange={(x) => change('contactName', x)}
            error={problems.contactName}
            maxlength={20}
          />
          <TextField
            label="联系电话"
            name="input-contact-phone"
            value={contactPhone}
            onChange={(x) => change('contactPhone', x)}
            error={problems.contactPhone}
            type="phone"
            maxlength={20}
            hint="手机号，或带区号的固定电话，如 0731-12345678"
          />
          <TextField
            label="住址"
            name="input-address"
            value={address}
            onChange={(x) => change('address', x)}
            error={problems.address}
            maxlength={100}
            placeholder="小区、楼栋、门牌号"
          />
          <Text className="field-hint">电话和住址只给社区和帮您办事的党员看，不会公开。</Text>
          {props.onBehalf ? null : remembered ? (
            <View className="card remembered-contacts">
              <Text className="card-line">已填好这部手机记住的联系方式，可以直接改。</Text>
              <Button
                className="btn btn-quiet btn-forget-contacts"
                onClick={() => {
                  forgetContacts(owner);
                  setRemembered(false);
                  setRemember(false);
                }}
              >
                不再记住
              </Button>
            </View>
          ) : (
            <View
              className={`card remember-switch${remember ? ' remember-switch-on' : ''}`}
              role="switch"
              aria-checked={remember}
              onClick={() => setRemember(!remember)}
            >
              <Text className="remember-label">下次许愿时自动填好称呼、电话和住址</Text>
              <Text className="remember-state">{remember ? '记住 ✓' : '不记住（点这里改为记住）'}</Text>
              <Text className="field-hint">
                {forgotten && !remember ? '已从这部手机上删掉，这次填的只用于这个心愿。' : '只存在这部手机上，不会上传。提交成功后才记住。'}
              </Text>
            </View>
          )}
        </View>
      ) : null}

      {step === 2 ? (
        <View className="post-step">
          <View className="card post-review">
            <Text className="card-title">{title}</Text>
            <Text className="card-line">{content}</Text>
            <Text className="card-line muted">
              {contactName} · {normalisePhone(contactPhone)}
            </Text>
            <Text className="card-line muted">{address}</Text>
          </View>
          {TAKES_PHOTOS ? (
            <>
              <View className="photos">
                {previews.map((src) => (
                  <Image key={src} className="photo" src={src} mode="aspectFill" />
                ))}
              </View>
              {photos.length < MAX_PHOTOS ? (
                <Button className="btn btn-quiet btn-add-photo" disabled={uploading} onClick={() => void addPhotos()}>
                  {uploading ? '正在上传…' : '加一张照片（可不加）'}
                </Button>
              ) : null}
            </>
          ) : null}
          {props.hardship ? (
            <View className="card hardship">
              <Text className="section-title">困难情况（可选）</Text>
              <Text className="card-line">
                {props.onBehalf
                  ? '居民有健康、残疾或经济上的困难，可以记在这里，便于安排合适的帮助。只给社区工作人员和正在办理的党员看，不会公开。'
                  : '如果您身体、残疾或家里经济上有困难，可以写在这里，社区能更好地安排帮助。只给社区工作人员和为您办事的党员看，不会公开。'}
              </Text>
              <Text className="card-line muted">不填也可以直接提交心愿。</Text>
              {!wantsHardship ? (
                <Button
                  className="btn btn-quiet btn-hardship"
                  onClick={() => {
                    setWantsHardship(true);
                    if (!props.hardship?.consent) props.hardship?.ask();
                  }}
                >
                  填写困难情况
                </Button>
              ) : hardshipOpen ? (
                <>
                  {HARDSHIP_FIELDS.map((f) => (
                    <TextAreaField
                      key={f.key}
                      label={f.label}
                      name={`input-${f.key}`}
                      value={hardship[f.key]}
                      onChange={(x) => setHardship((h) => ({ ...h, [f.key]: x }))}
                      maxlength={200}
                      placeholder={f.placeholder}
                    />
                  ))}
                  <Button
                    className="btn btn-quiet btn-hardship-skip"
                    onClick={() => {
                      setWantsHardship(false);
                      setHardship({ health: '', disability: '', income: '' });
                    }}
                  >
                    不填了
                  </Button>
                </>
              ) : (
                <>
                  <Text className="card-line hardship-wait">
                    {props.hardship.declined
                      ? '没有同意，困难情况不会保存。心愿照常提交。'
                      : props.onBehalf
                        ? '请先把说明读给居民听，居民本人同意后再点“我已阅读并同意”。'
                        : '填写前，请先阅读并同意《敏感个人信息单独同意》。'}
                  </Text>
                  <Button className="btn btn-quiet btn-hardship-consent" onClick={props.hardship.ask}>
                    阅读说明并同意
                  </Button>
                </>
              )}
            </View>
          ) : null}
        </View>
      ) : null}

      <FormError message={error} />
      {step < 2 ? (
        <Button className="btn btn-primary btn-next" onClick={next}>
          下一步
        </Button>
      ) : (
        <Button className="btn btn-primary btn-submit" disabled={busy || uploading} onClick={() => void submit()}>
          {busy ? '正在提交…' : '提交心愿'}
        </Button>
      )}
      {step > 0 ? (
        <Button
          className="btn btn-quiet btn-back"
          onClick={() => {
            setError('');
            setProblems({});
            setStep(step - 1);
          }}
        >
          上一步
        </Button>
      ) : null}
    </View>
  );
}
