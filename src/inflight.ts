/**
 * Work that outlives its HTTP request (Slack listeners run after the ack; scheduled jobs run on
 * their own), tracked so a graceful shutdown can let it finish before the database closes.
 */
export class Inflight {
  private readonly running = new Set<Promise<unknown>>();

  /** Track `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    work.then(
      () => this.running.delete(work),
      () => this.running.delete(work),
    );
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves true when everything tracked has settled, false if `timeoutMs` passed first. */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((r) => {
          timer = setTimeout(r, left);
        }),
      ]);
      clearTimeout(timer);
    }
    return true;
  }
}
