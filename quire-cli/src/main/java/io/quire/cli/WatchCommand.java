package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchEnd;
import io.quire.core.watch.WatchListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print entries of STREAM as they arrive: first the backlog after --after, then live",
                "entries, gapless and in order, in the format of 'read'. Runs until Ctrl-C or SIGTERM",
                "(exit 0) or --count entries were printed. If the watch ends by itself (it fell",
                "behind, the ledger closed, a read failed) it exits 5 and says which --after resumes it."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire watch orders                          # everything, then follow",
                "  quire watch orders --after 1200 --key new --json",
                "  quire watch orders --after \"$(quire streams --json | jq 'select(.name==\"orders\").last_seq')\" --count 1"})
final class WatchCommand extends BaseCommand implements JsonOutput {

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream to watch.")
    String stream;

    @Option(names = "--after", paramLabel = "SEQ", converter = Converters.NonNegativeLong.class,
            description = "Start after this seq (exclusive). Default: 0 (from the first entry).")
    long after;

    @Option(names = "--key", paramLabel = "KEY", description = "Only entries with this key. Default: all keys.")
    String key;

    @Option(names = "--count", paramLabel = "N", converter = Converters.NonNegativeLong.class,
            description = "Exit 0 after printing N entries. Default: 0 = run until interrupted.")
    long count;

    @Option(names = "--json", description = "JSON Lines, the same fields as 'read --json'. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() throws InterruptedException {
        checkStream(stream);
        checkKey(key);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean requested = new AtomicBoolean();
        Listener listener = new Listener(stop, requested);
        try (Ledger ledger = openReadOnly()) {
            List<Runnable> restore = installSignalHandlers(() -> {
                requested.set(true);
                stop.countDown();
            });
            try (Watch watch = ledger.watch(stream, after, key, listener)) {
                stop.await();
                if (requested.get()) return ExitCodes.OK;
                WatchEnd end = watch.awaitEnd();
                return ended(end, listener.lastPrinted);
            } finally {
                restore.forEach(Runnable::run);
            }
        }
    }

    /** The watch ended by itself: say why and how to resume. */
    private int ended(WatchEnd end, long lastPrinted) {
        String why = switch (end.reason()) {
            case LAGGING -> "it fell too far behind the writers";
            case LEDGER_CLOSED -> "the ledger closed";
            case CANCELLED -> "it was cancelled";
            case FAILED -> "it failed: " + (end.error() == null ? "unknown error" : messageOf(end.error()));
        };
        String message = "watch of " + stream + " ended (" + end.reason() + "): " + why
                + "; resume with --after " + lastPrinted;
        ErrorKind kind = end.error() instanceof QuireException q ? q.kind() : ErrorKind.IO;
        throw new QuireException(kind, message);
    }

    private static String messageOf(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private final class Listener implements WatchListener {
        private final CountDownLatch stop;
        private final AtomicBoolean requested;
        private long printed;
        volatile long lastPrinted = after;

        Listener(CountDownLatch stop, AtomicBoolean requested) {
            this.stop = stop;
            this.requested = requested;
        }

        @Override public void onEntry(Entry e) {
            if (count > 0 && printed >= count) return;
            out().println(json ? Json.line(Json.entry(e)) : Text.entryLine(e));
            out().flush();
            printed++;
            lastPrinted = e.seq();
            if (count > 0 && printed >= count) {
                requested.set(true);
                stop.countDown();
            }
        }

        @Override public void onEnd(WatchEnd end) { stop.countDown(); }
    }

    /**
     * On SIGINT and SIGTERM, run {@code onStop} instead of exiting, so the watch closes, the
     * ledger closes cleanly and the command exits 0. Returns what puts the old handlers back.
     * If the JDK does not offer {@code sun.misc.Signal}, the default handling (exit 130/143) stays.
     */
    @SuppressWarnings("removal")
    static List<Runnable> installSignalHandlers(Runnable onStop) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(sig, s -> onStop.run());
                restore.add(() -> sun.misc.Signal.handle(sig, old));
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // Not available on this platform or JVM: keep the default behaviour.
            }
        }
        return restore;
    }
}
