package io.quire.cli;

import io.quire.core.ProgressListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn at most every {@link #REDRAW_INTERVAL_NS} so a
 * fast loop does not spend its time printing. Drawn only when stderr is a terminal: in a pipe or
 * a cron log a bar would be noise, so {@link #of} returns {@link ProgressListener#NONE} there.
 */
public final class ProgressBar implements ProgressListener, AutoCloseable {
    /** 10 redraws per second at most. */
    static final long REDRAW_INTERVAL_NS = 100_000_000L;
    /** Characters of the bar itself, between the brackets. */
    static final int BAR_CHARS = 30;

    private final PrintStream err;
    private long lastDrawNs;
    private boolean drawn;

    private ProgressBar(PrintStream err) { this.err = err; }

    /** A bar on {@code io.err()} when it is a terminal; otherwise a listener that does nothing. */
    public static ProgressListener of(Io io) {
        return io.interactive() ? new ProgressBar(io.err()) : ProgressListener.NONE;
    }

    @Override
    public synchronized void progress(long done, long total, String what) {
        long now = System.nanoTime();
        boolean last = total > 0 && done >= total;
        if (drawn && !last && now - lastDrawNs < REDRAW_INTERVAL_NS) return;
        lastDrawNs = now;
        drawn = true;
        String label = what == null ? "" : what;
        if (total > 0) {
            int filled = (int) Math.min(BAR_CHARS, BAR_CHARS * done / total);
            err.printf(Locale.ROOT, "\r[%s%s] %3d%% %s\u001b[K", "#".repeat(filled), " ".repeat(BAR_CHARS - filled),
                    Math.min(100, 100 * done / total), label);
        } else {
            err.printf(Locale.ROOT, "\r%d %s\u001b[K", done, label);
        }
        err.flush();
    }

    /** Ends the bar's line so the next message starts on a fresh line. */
    @Override
    public synchronized void close() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }

    /** Closes {@code p} if it is a bar. */
    public static void finish(ProgressListener p) {
        if (p instanceof ProgressBar b) b.close();
    }
}
