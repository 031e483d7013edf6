// The child processes suites start as their files load (the served pack, the type checker) run while
// other suites do, but one at a time: on two CPUs, several starting together took the CPU the suites
// need (the run's first evaluation took ~11 s instead of ~2 s), while one at a time keeps to the
// second CPU and is still ready before the suites that wait for it.
let previous: Promise<unknown> = Promise.resolve();

/** Starts `start` once every child started before it is ready (or failed). */
export function inTurn<T>(start: () => Promise<T>): Promise<T> {
    const turn = previous.then(start);
    previous = turn.catch(() => undefined);
    return turn;
}
