import { useRef, useState } from 'react';

/**
 * A button's busy state that a double tap cannot slip past: the ref is set synchronously on the first tap, before
 * React re-renders, so a second tap in the same frame sees it (a `busy` state alone would still read false there).
 * `start()` answers false while a request is in flight.
 */
export function useBusy() {
  const flight = useRef(false);
  const [busy, setBusy] = useState(false);
  return {
    busy,
    start(): boolean {
      if (flight.current) return false;
      flight.current = true;
      setBusy(true);
      return true;
    },
    done(): void {
      flight.current = false;
      setBusy(false);
    },
  };
}
