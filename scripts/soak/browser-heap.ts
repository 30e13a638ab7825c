/**
 * JS heap of every context of a page — the page itself, its Web Workers and its AudioWorklet —
 * through the DevTools protocol, each after a forced full garbage collection.
 *
 * Playwright opens DevTools sessions for pages only; a worker's heap is reached by asking the
 * page's session to auto-attach to its child targets (non-flat mode) and sending
 * `HeapProfiler.collectGarbage` and `Runtime.getHeapUsage` to each through
 * `Target.sendMessageToTarget`.
 */
import type { CDPSession, Page } from 'playwright-core';

/** Heap of one JS context, bytes (`Runtime.getHeapUsage` after a full GC). */
export interface ContextHeap {
  /** V8 heap in use. */
  readonly used: number;
  /** ArrayBuffer backing stores (audio blocks, feature windows; the wasm heap is not among them). */
  readonly backing: number;
}

/** Heaps of the contexts found, by kind: `page`, `worker` (the recognizer), `worklet` (capture). */
export type HeapSnapshot = Partial<Record<'page' | 'worker' | 'worklet', ContextHeap>>;

interface Child {
  readonly type: string;
  readonly url: string;
}

/** Samples the heaps of a page and of the workers/worklets it starts. Create it before `page.goto`. */
export class PageHeaps {
  private readonly session: CDPSession;
  private readonly children = new Map<string, Child>();
  private readonly replies = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  private nextId = 1;

  private constructor(session: CDPSession) {
    this.session = session;
    session.on('Target.attachedToTarget', (e) => this.children.set(e.sessionId, { type: e.targetInfo.type, url: e.targetInfo.url }));
    session.on('Target.detachedFromTarget', (e) => this.children.delete(e.sessionId));
    session.on('Target.receivedMessageFromTarget', (e) => {
      const message = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const reply = message.id === undefined ? undefined : this.replies.get(message.id);
      if (reply) {
        this.replies.delete(message.id!);
        reply(message);
      }
    });
  }

  /**
   * Opens a DevTools session on `page` and auto-attaches to its workers and worklets.
   *
   * @throws Error from the DevTools protocol if the browser is not Chromium
   */
  static async attach(page: Page): Promise<PageHeaps> {
    const heaps = new PageHeaps(await page.context().newCDPSession(page));
    await heaps.session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return heaps;
  }

  /** Collects garbage in every context, then reads each one's heap. A context that does not answer within 5 s is left out. */
  async sample(): Promise<HeapSnapshot> {
    await this.session.send('HeapProfiler.collectGarbage');
    const page = (await this.session.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const snapshot: HeapSnapshot = { page: { used: page.usedSize, backing: page.backingStorageSize ?? 0 } };
    for (const [sessionId, child] of this.children) {
      const kind = child.type === 'worker' ? 'worker' : child.type === 'worklet' ? 'worklet' : null;
      if (!kind) continue; // the service worker is not part of listening
      try {
        await this.send(sessionId, 'HeapProfiler.collectGarbage');
        const usage = (await this.send(sessionId, 'Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
        snapshot[kind] = { used: usage.usedSize, backing: usage.backingStorageSize ?? 0 };
      } catch {
        // Gone (stopped) or busy: no sample for it this time.
      }
    }
    return snapshot;
  }

  private send(sessionId: string, method: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        reject(new Error(`${method}: no answer from the ${this.children.get(sessionId)?.type ?? 'target'} in 5 s`));
      }, 5000);
      this.replies.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      this.session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) }).catch(reject);
    });
  }
}
