import { useCallback, useRef, useState } from 'react';

/**
 * useReducer whose newest state can be read at once, before React renders it: keys can arrive
 * faster than frames, and each must act on the state the previous one left.
 * dispatch returns the new state.
 */
export function useLatestReducer<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, (action: A) => S, () => S] {
  const [state, setState] = useState(initial);
  const latest = useRef(state);
  const dispatch = useCallback(
    (action: A): S => {
      const next = reducer(latest.current, action);
      if (next !== latest.current) {
        latest.current = next;
        setState(next);
      }
      return next;
    },
    [reducer],
  );
  const current = useCallback(() => latest.current, []);
  return [state, dispatch, current];
}
