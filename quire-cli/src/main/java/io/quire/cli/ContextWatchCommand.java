package io.quire.cli;

import io.grpc.Status;
import io.quire.api.context.v1.Entry;
import io.quire.client.Watch;
import io.quire.client.WatchListener;
import io.quire.core.QuireException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Follow CONTEXT on the server: entries after --from, then live appends (including entries",
                "arriving by Load), each exactly once and in order, same lines as 'get'. When the stream ends",
                "(server restart, disconnect, this watcher lagging) it resumes from the last printed sequence",
                "without gap or duplicate, saying so on stderr. Runs until Ctrl-C/SIGTERM (exit 0) or until",
                "--count entries were printed (exit 0). If the watch ends for good (refused, too many failed",
                "reconnects) it exits with the status's code and 'resume with --from N'."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire context watch run-42",
                "  quire context watch run-42 --from 100 --key facts --count 10 --json"})
final class ContextWatchCommand extends ContextBase {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "Context id.")
    String context;

    @Option(names = "--from", paramLabel = "N", converter = Converters.NonNegativeLong.class,
            description = "Entries with sequence > N. Default: 0 = from the start.")
    long from;

    @Option(names = "--key", paramLabel = "K", description = "Only entries with this key. Default: all keys.")
    String key = "";

    @Option(names = "--count", paramLabel = "N", converter = Converters.NonNegativeLong.class,
            description = "Exit 0 after printing N entries. Default: 0 = run until interrupted.")
    long count;

    @Override
    public Integer call() throws InterruptedException {
        server.check(io().env());
        String address = server.address(io().env()).toString();
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Status> ended = new AtomicReference<>();
        Listener listener = new Listener(stop, ended);
        List<Runnable> restore = WatchCommand.installSignalHandlers(stop::countDown);
        try {
            withClient(c -> {
                try (Watch w = c.watch(context, key, from, listener)) {
                    stop.await();
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            });
        } finally {
            restore.forEach(Runnable::run);
        }
        Status s = ended.get();
        if (s != null) {
            QuireException f = failure(s, address);
            throw new QuireException(f.kind(), "watch of " + context + " ended: " + f.reason() + "; resume with --from " + listener.last)
                    .withCode(f.code());
        }
        return ExitCodes.OK;
    }

    private final class Listener implements WatchListener {
        private final CountDownLatch stop;
        private final AtomicReference<Status> ended;
        private long printed;
        volatile long last = from;

        Listener(CountDownLatch stop, AtomicReference<Status> ended) {
            this.stop = stop;
            this.ended = ended;
        }

        @Override public void onEntry(Entry e) {
            if (count > 0 && printed >= count) return;
            printEntry(context, e);
            printed++;
            last = e.getSequence();
            if (count > 0 && printed >= count) stop.countDown();
        }

        @Override public void onEnd(Status status) {
            ended.compareAndSet(null, status);
            stop.countDown();
        }

        @Override public void onReconnect(Status status, long lastSequence, long delayMillis) {
            io().err().println("quire: watch of " + context + ": stream ended (" + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription())
                    + "); resuming after sequence " + lastSequence + " in " + delayMillis + " ms");
            io().err().flush();
        }
    }
}
