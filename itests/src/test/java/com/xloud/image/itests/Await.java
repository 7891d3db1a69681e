package com.xloud.image.itests;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Waiting on a condition with a deadline: the one place the end-to-end tests poll. */
final class Await {
    private static final long STEP_NANOS = Duration.ofMillis(50).toNanos();

    private Await() {
    }

    /** Probes until {@code done} holds and returns that value; past the deadline the last value fails the test. */
    static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.call();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout + "; last seen: " + value);
            }
            LockSupport.parkNanos(STEP_NANOS);
            value = probe.call();
        }
        return value;
    }

    /** Returns once the clock has passed {@code instant}, so that later events carry later times. */
    static void clockPast(Instant instant) throws Exception {
        until("the clock passing " + instant, Duration.ofSeconds(5), Instant::now, now -> now.isAfter(instant));
    }
}
