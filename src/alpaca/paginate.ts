/**
 * Page-by-page iteration with bounded memory: the page being consumed plus at most one prefetched page.
 * Breaking out of the loop aborts the prefetch. Every page goes through the pipeline (limiter included).
 */
import { PaginationError } from './errors.js';
import type { PageProgress } from './types.js';

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PaginateOptions {
  signal?: AbortSignal;
  /** Called after each page is fetched. */
  onProgress?: (p: PageProgress) => void;
  /** Stop after this many pages (a guard against a server that never ends). @default 100_000 */
  maxPages?: number;
  /** Fetch the next page while the current one is consumed. @default true */
  prefetch?: boolean;
}

export async function* paginate<T>(
  fetchPage: (token: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  o: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(o.signal?.reason);
  if (o.signal?.aborted) throw o.signal.reason;
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const maxPages = o.maxPages ?? 100_000;
  const seen = new Set<string>();
  let pages = 0;
  let items = 0;
  let pending: Promise<Page<T>> | undefined = fetchPage(undefined, ctl.signal);
  try {
    while (pending) {
      const page = await pending;
      pending = undefined;
      pages++;
      const more = page.next !== null && page.next !== '' && pages < maxPages;
      if (more) {
        // A repeated token would loop forever: treat it as the end.
        if (seen.has(page.next as string)) throw new PaginationError(`the server repeated page token ${page.next}`);
        seen.add(page.next as string);
        if (o.prefetch !== false) {
          pending = fetchPage(page.next as string, ctl.signal);
          pending.catch(() => {}); // surfaced when awaited; not an unhandled rejection if the consumer stops
        }
      }
      o.onProgress?.({ pages, items: items + page.items.length, more });
      for (const item of page.items) {
        items++;
        yield item;
      }
      if (more && !pending) pending = fetchPage(page.next as string, ctl.signal);
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (pending) ctl.abort(new Error('pagination stopped by the consumer'));
  }
}
