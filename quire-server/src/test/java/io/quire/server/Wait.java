package io.quire.server;

import java.util.function.BooleanSupplier;

/** Polling waits for tests, with a deadline. */
final class Wait {
    private Wait() {}

    static void until(long ms, BooleanSupplier cond) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + ms + " ms");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Asserts {@code cond} stays true for {@code ms}. */
    static void holds(long ms, BooleanSupplier cond) {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < end) {
            if (!cond.getAsBoolean()) throw new AssertionError("condition stopped holding");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
