type Listener<T> = (payload: T) => void;

/** A small typed event bus. has() lets hot paths skip building payloads nobody listens to. */
export class EventBus<Events extends Record<string, unknown>> {
  readonly #listeners: { [K in keyof Events]?: Listener<Events[K]>[] } = {};

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    (this.#listeners[name] ??= []).push(listener);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    const list = this.#listeners[name];
    if (list) this.#listeners[name] = list.filter((known) => known !== listener);
  }

  has(name: keyof Events): boolean {
    return (this.#listeners[name]?.length ?? 0) > 0;
  }

  /** Calls every listener; one that throws is reported to onListenerError, and the rest still run. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const list = this.#listeners[name];
    if (!list) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError?.(String(name), error);
      }
    }
  }

  onListenerError: ((event: string, error: unknown) => void) | undefined;
}
