// A faulty network between simulated devices and the real server: it can drop a request, drop its
// answer after the server acted, deliver it twice, or hold it and deliver it after later ones.
// Deterministic: each device follows a plan of faults, one per request, and requests run in order.
import { gunzipSync } from 'node:zlib';

export const FAULTS = [
  'ok',
  'drop-request',
  'drop-response',
  'duplicate',
  'delay',
  'replay-later',
  'hang',
] as const;
/**
 * - `drop-request`: never reaches the server; the device sees a network error.
 * - `drop-response`: the server acts, the device sees a network error.
 * - `duplicate`: delivered twice back to back; the device sees the second answer.
 * - `delay`: the device sees a network error at once; the request reaches the server later,
 *   after `holdFor` other deliveries (or at `flush()`).
 * - `replay-later`: delivered now and answered, and a stale copy arrives again later.
 * - `hang`: like `delay`, but the device never hears back at all (the app is closed while it
 *   waits); `hung(device)` resolves when this happens.
 */
export type Fault = (typeof FAULTS)[number];

export interface Sent {
  device: string;
  path: string;
  /** The decoded JSON body (gzip bodies are unpacked). */
  body: unknown;
  fault: Fault;
  status?: number;
  /** The decoded JSON answer, when one reached the server's side of the wire. */
  answer?: unknown;
}

interface Held {
  device: string;
  path: string;
  init: RequestInit;
  body: Uint8Array | undefined;
  after: number;
}

export class NetworkError extends TypeError {
  constructor() {
    super('fetch failed');
  }
}

export class Network {
  baseUrl: string;
  readonly log: Sent[] = [];
  readonly #plans = new Map<string, Fault[]>();
  #held: Held[] = [];
  /** Deliveries of held copies, in order (their answers go nowhere). */
  readonly late: Sent[] = [];

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  readonly #holdFor = new Map<string, number[]>();
  readonly #hangs = new Map<string, () => void>();
  readonly #while = new Map<string, { at: number; run: () => Promise<void> }>();
  readonly #sentSincePlan = new Map<string, number>();

  /** The faults the device's next requests meet, one each; `ok` once the plan runs out. */
  plan(device: string, faults: readonly Fault[], holdFor: readonly number[] = []): void {
    this.#plans.set(device, [...faults]);
    this.#holdFor.set(device, [...holdFor]);
    this.#sentSincePlan.set(device, 0);
    this.#while.delete(device);
  }

  /**
   * Run `run` (a local edit, say) just before the device's request number `at` (from 0) since its
   * last plan goes out: while its sync run waits on the network. A new plan clears it.
   */
  meanwhile(device: string, at: number, run: () => Promise<void>): void {
    this.#while.set(device, { at, run });
  }

  /** Resolves with 'hung' the next time a request of `device` hangs. */
  hung(device: string): Promise<'hung'> {
    return new Promise((resolve) => this.#hangs.set(device, () => resolve('hung')));
  }

  get heldCount(): number {
    return this.#held.length;
  }

  /** Deliver every held request now, oldest first. */
  async flush(): Promise<void> {
    const held = this.#held;
    this.#held = [];
    for (const h of held) await this.#deliverLate(h);
  }

  requests(device?: string, path?: string): Sent[] {
    return this.log.filter((s) => (!device || s.device === device) && (!path || s.path.endsWith(path)));
  }

  fetchFor(device: string): typeof fetch {
    return async (input, init = {}) => {
      const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
      const body = init.body === undefined || init.body === null ? undefined : await bytesOf(init.body);
      const n = this.#sentSincePlan.get(device) ?? 0;
      this.#sentSincePlan.set(device, n + 1);
      const hook = this.#while.get(device);
      if (hook && hook.at === n) {
        this.#while.delete(device);
        await hook.run();
      }
      const fault = this.#plans.get(device)?.shift() ?? 'ok';
      const sent: Sent = { device, path, body: decode(body, init.headers), fault };
      this.log.push(sent);
      const clean: RequestInit = { ...init };
      delete clean.signal; // a held copy outlives the device's timeout; the server is local anyway
      switch (fault) {
        case 'drop-request':
          throw new NetworkError();
        case 'delay':
          this.#hold(device, path, clean, body);
          throw new NetworkError();
        case 'hang':
          this.#hold(device, path, clean, body);
          this.#hangs.get(device)?.();
          return new Promise<Response>(() => undefined);
        case 'drop-response':
          await this.#deliver(sent, clean, body);
          throw new NetworkError();
        case 'duplicate':
          await this.#deliver(sent, clean, body);
          return this.#deliver(sent, clean, body);
        case 'replay-later': {
          const res = await this.#deliver(sent, clean, body);
          this.#hold(device, path, clean, body);
          return res;
        }
        case 'ok':
          return this.#deliver(sent, clean, body);
      }
    };
  }

  #hold(device: string, path: string, init: RequestInit, body: Uint8Array | undefined): void {
    const after = this.#holdFor.get(device)?.shift() ?? 1;
    this.#held.push({ device, path, init, body, after });
  }

  async #deliver(sent: Sent, init: RequestInit, body: Uint8Array | undefined): Promise<Response> {
    const res = await this.#send(sent.path, init, body);
    sent.status = res.status;
    sent.answer = decode(new Uint8Array(await res.clone().arrayBuffer()), res.headers);
    // A later delivery of a held request: it reaches the server after this one.
    for (const h of this.#held) h.after--;
    const due = this.#held.filter((h) => h.after <= 0);
    this.#held = this.#held.filter((h) => h.after > 0);
    for (const h of due) await this.#deliverLate(h);
    return res;
  }

  async #deliverLate(h: Held): Promise<void> {
    const res = await this.#send(h.path, h.init, h.body);
    this.late.push({
      device: h.device,
      path: h.path,
      body: decode(h.body, h.init.headers),
      fault: 'delay',
      status: res.status,
      answer: decode(new Uint8Array(await res.arrayBuffer()), res.headers),
    });
  }

  async #send(path: string, init: RequestInit, body: Uint8Array | undefined): Promise<Response> {
    const url = /^https?:/.test(path) ? path : this.baseUrl + path;
    const res = await fetch(url, { ...init, ...(body ? { body: body.slice() } : {}) });
    // Read the whole answer so the server has finished before anything else is sent.
    const bytes = await res.arrayBuffer();
    const headers = new Headers(res.headers);
    // fetch already unpacked a compressed answer.
    headers.delete('content-encoding');
    headers.delete('content-length');
    // A null-body status (204, 304) may not carry a body, even an empty one.
    const nullBody = res.status === 204 || res.status === 304;
    return new Response(nullBody ? null : bytes, { status: res.status, statusText: res.statusText, headers });
  }
}

/**
 * The same request with its JSON body changed by `change` and sent uncompressed (an older client
 * speaking another message, for instance).
 */
export async function rewriteJsonBody(
  init: RequestInit | undefined,
  change: (body: unknown) => unknown,
): Promise<RequestInit> {
  if (!init?.body) return init ?? {};
  const headers = new Headers(init.headers);
  const body = decode(await bytesOf(init.body), headers);
  headers.delete('content-encoding');
  return { ...init, headers, body: JSON.stringify(change(body)) };
}

async function bytesOf(body: BodyInit): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function decode(bytes: Uint8Array | undefined, headers: HeadersInit | undefined): unknown {
  if (!bytes || bytes.length === 0) return undefined;
  const gz =
    new Headers(headers).get('content-encoding')?.includes('gzip') ||
    (bytes[0] === 0x1f && bytes[1] === 0x8b);
  const text = Buffer.from(gz ? gunzipSync(bytes) : bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
