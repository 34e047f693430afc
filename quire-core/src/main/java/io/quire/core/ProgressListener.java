package io.quire.core;

/** Receives progress of long work (verify, backup, restore). {@code total} may be -1 when unknown. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, what) -> {};

    void progress(long done, long total, String what);
}
