package io.quire.windows.engines;

import java.util.function.BooleanSupplier;

/**
 * One engine of the runner: it owns its backlog and does a bounded amount of work per
 * {@link #step}. The runner calls {@code step} in a loop on the engine's own thread, restarts it
 * (with backoff) when it throws, and stops calling it on pause or shutdown.
 *
 * <p>Contract of a step: every slot it marked Pending is, when the step returns or throws,
 * either Filled or released (Cleared with a cause) — so a stopped engine leaves no Pending slot.
 * A long step polls {@code stop} between batches and returns early when it is true.
 */
public interface Engine {
    /** A short name ({@code treasury}, {@code ingest}, {@code aggressor}, {@code greeks}, {@code aggregates}). */
    String name();

    /**
     * Does up to one batch of work.
     *
     * @return windows written; 0 means nothing was ready (the engine is idle until inputs change)
     */
    int step(BooleanSupplier stop);

    EngineStats stats();
}
