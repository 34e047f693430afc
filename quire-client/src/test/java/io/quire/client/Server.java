package io.quire.client;

import io.grpc.ManagedChannel;
import io.quire.core.Durability;
import io.quire.core.Ledger;
import io.quire.server.Config;
import io.quire.server.QuireServer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A real QuireServer on loopback over a temp ledger, restartable on the same port, and a channel to it. */
final class Server implements AutoCloseable {
    final Path dir;
    final UnaryOperator<Config> tweak;
    volatile QuireServer server;
    final int port;
    final ManagedChannel channel;

    Server(Path tmp, UnaryOperator<Config> tweak) {
        this.dir = tmp.resolve("ledger");
        this.tweak = tweak;
        Ledger.init(dir);
        server = start(0);
        port = server.grpcPort();
        channel = QuireChannels.plaintext("127.0.0.1", port);
    }

    Server(Path tmp) { this(tmp, c -> c); }

    private QuireServer start(int grpcPort) {
        return QuireServer.start(tweak.apply(Config.defaults(dir).withPorts(grpcPort, -1).withDurability(Durability.NONE)));
    }

    void stop() { server.close(); }

    /** Starts again on the same port (retrying briefly while the old socket lets go of it). */
    void restart() {
        RuntimeException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                server = start(port);
                return;
            } catch (RuntimeException e) {
                last = e;
                sleep(100);
            }
        }
        throw last;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void until(long ms, BooleanSupplier cond) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + ms + " ms");
            sleep(10);
        }
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }
}
