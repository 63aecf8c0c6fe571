/**
 * Runs the built cloud functions (cloudfunctions/<name>/index.js) the way the platform does.
 *
 * - Each function runs in its own instance: a worker thread that loads the function's bundle with plain
 *   Node (localcloud/function-worker.cjs), in its own module scope, never the TypeScript source. A module
 *   without the build stamp of scripts/build-functions.mjs is refused, so a test cannot pass on sources.
 * - One instance per function serves its calls, up to 16 at once (the rest wait their turn, and one that would
 *   wait longer than the timeout is refused without running), and is kept
 *   warm; it is reclaimed after IDLE_MS without calls and started again on the next call.
 * - `main(event, context)`, with the caller's identity in `context.environ` (WX_OPENID), never in the event
 *   or process.env.
 * - The function timeout is the function's config.json `timeout` (seconds, CloudBase's field), default 3 s,
 *   unless the local cloud is given one for all functions. A call past it answers an error, and its instance
 *   is terminated before that answer goes out (every other call in flight in it answers an error too), so a
 *   timed-out call issues no write afterwards. The next call starts a fresh instance.
 * - The instance's console goes to the local cloud's console; a function that throws is an error for the
 *   caller, with the function's message and stack.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** An anonymous CloudBase login: its user id, as the older web auth's context carries it (a bare string:
 * TCB_ISANONYMOUS_USER=true), or as the newer auth that @cloudbase/js-sdk 3 signs in with carries it
 * (`loginType`: LOGINTYPE=ANONYMOUS; node-sdk src/utils/tcbcontext.ts and src/auth/index.ts read it). */
export type Anonymous = string | { uid: string; loginType: 'ANONYMOUS' };

/** The stamp scripts/build-functions.mjs puts in every bundle (module.exports.__bundle.builtBy). */
export const BUILT_BY = 'scripts/build-functions.mjs';
const WORKER = join(__dirname, 'function-worker.cjs');
const DEFAULT_TIMEOUT_S = 3;
const DEFAULT_MEMORY_MB = 256;
/** Loading a bundle (the SDK included) is not part of a call's time; a load that takes longer than this fails. */
const LOAD_TIMEOUT_MS = 30_000;
/** An instance without calls for this long is stopped (the platform reclaims idle instances too). */
const IDLE_MS = 5 * 60_000;
/** Calls one instance runs at once; more wait their turn (their timeout starts when they run). */
const DEFAULT_CONCURRENCY = 16;

type Level = 'log' | 'info' | 'warn' | 'error' | 'debug';
type FromWorker =
  | { t: 'ready'; file: string; bundle: Record<string, unknown> }
  | { t: 'load-error'; error: { message: string; stack?: string } }
  | { t: 'log'; level: Level; text: string }
  | { t: 'done'; id: number; json: string }
  | { t: 'threw'; id: number; error: { message: string; stack?: string } };

/** What a function's config.json says that the local cloud honours (CloudBase's field names). */
interface FunctionConfig {
  timeout?: number; // seconds
  memorySize?: number; // MB
  envVariables?: Record<string, string>;
}

export interface FunctionHostOptions {
  /** Overrides every function's config.json timeout (tests). */
  timeoutMs?: number;
  /** Calls an instance runs at once (default 16); the rest queue, and one that waits longer than the function's
   * timeout is refused without having run. */
  concurrency?: number;
  /** Environment the functions' SDK init reads (TCB_SERVICE_URL, …), added to process.env when an instance starts. */
  env?: () => Record<string, string>;
  /** Spare instances kept loaded (the SDK in, no function yet) so that a function's first call starts fast: default
   * SPARES, or LOCALCLOUD_SPARES. The test suite sets 0: its local clouds are many and short, and the two spares
   * each one loads at its start and keeps after its last cold start were a tenth of a functions file's CPU. */
  spares?: number;
}

/** A function's error as the caller's side sees it: the function's message and stack. */
export class FunctionError extends Error {
  constructor(message: string, stack?: string) {
    super(message);
    this.name = 'FunctionError';
    if (stack) this.stack = stack;
  }
}

function workerError(e: { message: string; stack?: string }): FunctionError {
  return new FunctionError(e.message, e.stack);
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

/** One running worker of one function. */
class Instance {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly calls = new Map<number, Pending>();
  dead = false;
  file = '';
  bundle: Record<string, unknown> = {};
  private idle?: NodeJS.Timeout;

  constructor(
    readonly fn: FunctionHandle,
    worker: Worker,
    env: Record<string, string>,
  ) {
    this.worker = worker;
    this.worker.postMessage({ t: 'load', file: fn.file, name: fn.name, builtBy: BUILT_BY, env });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`function ${fn.name} did not load within ${LOAD_TIMEOUT_MS} ms`));
        void this.stop();
      }, LOAD_TIMEOUT_MS);
      this.worker.on('message', (m: FromWorker) => {
        if (m.t === 'ready') {
          clearTimeout(timer);
          this.file = m.file;
          this.bundle = m.bundle;
          resolve();
        } else if (m.t === 'load-error') {
          clearTimeout(timer);
          reject(new FunctionError(`function ${fn.name} could not be loaded: ${m.error.message}`, m.error.stack));
          void this.stop();
        } else if (m.t === 'log') {
          console[m.level](`[${fn.name}]`, m.text);
        } else {
          const call = this.calls.get(m.id);
          if (!call || this.dead) return; // a stopped instance's calls answer the error they were given
          this.settled(m.id, call);
          if (m.t === 'done') call.resolve(JSON.parse(m.json));
          else call.reject(workerError(m.error));
        }
      });
      this.worker.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
        this.crashed(e);
      });
      this.worker.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`function ${fn.name} exited (${code}) while loading`));
        this.crashed(new Error(`function ${fn.name}: its instance exited (${code})`));
      });
    });
    this.ready.catch(() => undefined); // the callers waiting on it get the error
  }

  run(id: number, event: unknown, context: unknown, timeoutMs: number): Promise<unknown> {
    clearTimeout(this.idle);
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error(`function ${this.fn.name}: its instance was stopped before the call started`));
      const call: Pending = { resolve, reject };
      call.timer = setTimeout(() => {
        void this.stop(new Error(`function ${this.fn.name} timed out after ${timeoutMs} ms`), id);
      }, timeoutMs);
      this.calls.set(id, call);
      this.worker.postMessage({ t: 'call', id, event, context });
    });
  }

  private settled(id: number, call: Pending) {
    clearTimeout(call.timer);
    this.calls.delete(id);
    if (this.calls.size === 0 && !this.dead) {
      this.idle = setTimeout(() => void this.stop(), IDLE_MS);
      this.idle.unref();
    }
  }

  /** The worker died on its own (an uncaught exception, out of memory, process.exit): its calls fail. */
  private crashed(e: Error) {
    if (this.dead) return;
    this.dead = true;
    this.fn.forget(this);
    clearTimeout(this.idle);
    this.failAll(e);
  }

  /** Terminate the worker, and only then fail the calls in flight: nothing it does can follow their answers.
   * `cause` goes to the call `causeId` (a timeout) and the others learn their instance was stopped; without
   * `causeId` (the local cloud closing) every call gets `cause`. */
  async stop(cause?: Error, causeId?: number): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    this.fn.forget(this);
    clearTimeout(this.idle);
    for (const call of this.calls.values()) clearTimeout(call.timer);
    await this.worker.terminate();
    this.failAll(new Error(`function ${this.fn.name}: its instance was stopped (another call in it timed out)`), causeId, cause);
  }

  private failAll(e: Error, causeId?: number, cause?: Error) {
    for (const [id, call] of this.calls) {
      clearTimeout(call.timer);
      call.reject(cause && (causeId === undefined || id === causeId) ? cause : e);
    }
    this.calls.clear();
  }
}

/** One deployed function: its bundle, its config, and its current instance (if any). */
export class FunctionHandle {
  readonly file: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  private readonly config: FunctionConfig;
  private instance?: Instance;

  constructor(
    readonly name: string,
    dir: string,
    private host: FunctionHost,
  ) {
    this.file = join(dir, name, 'index.js');
    this.config = readConfig(join(dir, name, 'config.json'));
    const seconds = typeof this.config.timeout === 'number' && this.config.timeout > 0 ? this.config.timeout : DEFAULT_TIMEOUT_S;
    this.timeoutMs = host.options.timeoutMs ?? seconds * 1000;
    const mb = this.config.memorySize;
    this.memoryMb = typeof mb === 'number' && mb > 0 ? mb : DEFAULT_MEMORY_MB;
  }

  async invoke(event: unknown, openid: string | null, anonymous?: Anonymous | null, asOf?: Date): Promise<unknown> {
    await this.turn();
    try {
      const instance = this.current();
      await instance.ready;
      this.host.noteLoaded(this.name, instance.file, instance.bundle);
      const context = FunctionHost.context(this.name, openid, this.timeoutMs, this.memoryMb, anonymous);
      // A timer run "as of" another instant (local only; server/cloud.ts platformNow): the platform's side of the call.
      if (asOf && !openid && !anonymous) Object.assign(context, { local_as_of: asOf.toISOString() });
      return await instance.run(this.host.nextId(), event, context, this.timeoutMs);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private running = 0;
  private waiting: Array<() => void> = [];

  /** Waits until fewer than the concurrency limit of calls are running (first come, first served). A call that
   * would wait longer than the function's timeout is refused: it never ran, so it wrote nothing. */
  private turn(): Promise<void> {
    const limit = this.host.options.concurrency ?? DEFAULT_CONCURRENCY;
    if (this.running < limit && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const go = () => {
        clearTimeout(timer);
        this.running++;
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== go);
        reject(new FunctionError(`function ${this.name} is busy: the call waited ${this.timeoutMs} ms for its turn and did not run`));
      }, this.timeoutMs);
      this.waiting.push(go);
    });
  }

  private current(): Instance {
    if (!this.instance || this.instance.dead) {
      this.instance = new Instance(this, this.host.worker(this.memoryMb), { ...this.config.envVariables });
    }
    return this.instance;
  }

  forget(instance: Instance) {
    if (this.instance === instance) this.instance = undefined;
  }

  async stop(): Promise<void> {
    await this.instance?.stop(new Error(`the local cloud stopped function ${this.name}`));
  }
}

function readConfig(path: string): FunctionConfig {
  if (!existsSync(path)) return {};
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as FunctionConfig;
    return typeof c === 'object' && c !== null ? c : {};
  } catch {
    return {};
  }
}

/** Spare instances kept loading or loaded (SDK included) so that a function's first call starts fast. */
const SPARES = 2;
const sparesWanted = (o: FunctionHostOptions) => {
  const env = process.env.LOCALCLOUD_SPARES;
  return o.spares ?? (env !== undefined && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0 ? Number(env) : SPARES);
};

export class FunctionHost {
  private handles = new Map<string, FunctionHandle>();
  private spares: Worker[] = [];
  private closed = false;
  private loadedFrom: Record<string, { file: string; bundle: Record<string, unknown> }> = {};
  private ids = 0;
  readonly options: FunctionHostOptions;
  /** Spares to keep (decided once: warm() runs at every cold start). */
  private readonly spareCount: number;

  constructor(
    private dir: string,
    options: FunctionHostOptions = {},
  ) {
    this.options = options;
    this.spareCount = sparesWanted(options);
  }

  /** The function, or null if there is no such built function (no index.js). */
  load(name: string): FunctionHandle | null {
    if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name)) return null;
    const known = this.handles.get(name);
    if (known) return known;
    if (!existsSync(join(this.dir, name, 'index.js'))) return null;
    const handle = new FunctionHandle(name, this.dir, this);
    this.handles.set(name, handle);
    return handle;
  }

  /** Runs one call; rejects on a function error, a crash of its instance or a timeout. */
  invoke(
    fn: FunctionHandle,
    _name: string,
    event: unknown,
    openid: string | null,
    anonymous?: Anonymous | null,
    asOf?: Date,
  ): Promise<unknown> {
    return fn.invoke(event, openid, anonymous, asOf);
  }

  /** Where each function that has run was loaded from, with its build stamp. */
  loaded(): Record<string, { file: string; bundle: Record<string, unknown> }> {
    return { ...this.loadedFrom };
  }

  noteLoaded(name: string, file: string, bundle: Record<string, unknown>) {
    this.loadedFrom[name] = { file, bundle };
  }

  nextId(): number {
    return ++this.ids;
  }

  /** Starts the spare instances (call once the functions' environment, e.g. TCB_SERVICE_URL, is known). */
  warm(): void {
    while (!this.closed && this.spares.length < this.spareCount) this.spares.push(this.spawn(DEFAULT_MEMORY_MB));
  }

  /** A worker for a new instance: a spare when the memory limit is the default one, else a new worker. */
  worker(memoryMb: number): Worker {
    if (memoryMb !== DEFAULT_MEMORY_MB) return this.spawn(memoryMb);
    const spare = this.spares.shift() ?? this.spawn(memoryMb);
    this.warm();
    return spare;
  }

  private spawn(memoryMb: number): Worker {
    const env: Record<string, string | undefined> = { ...process.env, ...this.options.env?.() };
    delete env.WX_OPENID; // identity is per call, in the context
    const worker = new Worker(WORKER, {
      // Plain Node: no TypeScript loader (tsx) and no test runner's module system inside the instance.
      execArgv: [],
      env,
      workerData: { sdkFrom: this.dir },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      stdout: false,
      stderr: false,
    });
    worker.unref(); // a local cloud that is not closed does not keep its process alive
    const drop = () => {
      this.spares = this.spares.filter((w) => w !== worker);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    return worker;
  }

  /** Stops every instance (calls in flight answer errors) and the spares. */
  async close(): Promise<void> {
    this.closed = true;
    const spares = this.spares;
    this.spares = [];
    await Promise.all([...[...this.handles.values()].map((h) => h.stop()), ...spares.map((w) => w.terminate())]);
  }

  /** The context the platform would pass: identity only when the caller has one. An anonymous CloudBase login
   * (`anonymous`: its user id) has no WeChat openid, only `TCB_UUID` with `TCB_ISANONYMOUS_USER=true`. */
  static context(
    name: string,
    openid: string | null,
    timeLimitMs = DEFAULT_TIMEOUT_S * 1000,
    memoryMb = DEFAULT_MEMORY_MB,
    anonymous?: Anonymous | null,
  ) {
    const environ = openid
      ? `WX_CONTEXT_KEYS=WX_OPENID,WX_APPID,WX_UNIONID;WX_OPENID=${openid};WX_APPID=local-appid;WX_UNIONID=`
      : typeof anonymous === 'object' && anonymous
        ? `TCB_CONTEXT_KEYS=TCB_UUID,LOGINTYPE;TCB_UUID=${anonymous.uid};LOGINTYPE=${anonymous.loginType};WX_CONTEXT_KEYS=WX_APPID;WX_APPID=local-appid`
        : anonymous
          ? `TCB_CONTEXT_KEYS=TCB_UUID,TCB_ISANONYMOUS_USER;TCB_UUID=${anonymous};TCB_ISANONYMOUS_USER=true;WX_CONTEXT_KEYS=WX_APPID;WX_APPID=local-appid`
          : 'WX_CONTEXT_KEYS=WX_APPID;WX_APPID=local-appid';
    return {
      request_id: randomBytes(8).toString('hex'),
      function_name: name,
      function_version: '$LATEST',
      namespace: 'local',
      memory_limit_in_mb: memoryMb,
      time_limit_in_ms: timeLimitMs,
      environ,
    };
  }
}
