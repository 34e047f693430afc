package io.quire.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code nats-server} child process with JetStream, started by the harness for W5: {@code nats-server -a 127.0.0.1
 * -p <free port> -js -sd <dir>} (file storage under {@code dir}, every other setting the server's default). Its
 * output goes to {@code <dir>/nats-server.log}. {@link #close()} kills it ({@code kill -9}: the benchmark data is thrown
 * away anyway) and waits for it to exit; a JVM shutdown hook does the same if the harness dies first.
 */
final class NatsServer implements AutoCloseable {
    static final String BINARY = "nats-server";
    /** How long the server may take to accept connections. */
    static final long START_TIMEOUT_MS = 15_000;
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final String version;
    private final Thread hook;

    private NatsServer(Process process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
        this.hook = new Thread(process::destroyForcibly, "nats-server-killer");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The {@code nats-server} on PATH, or null. */
    static Path findBinary() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, BINARY);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Starts one on a free loopback port with its store in {@code storeDir} (created); retries a port lost to a race. */
    static NatsServer start(Path binary, Path storeDir) throws IOException, InterruptedException {
        Files.createDirectories(storeDir);
        String version = versionOf(binary);
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            Path log = storeDir.resolve("nats-server.log");
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-js", "-sd", storeDir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process p = pb.start();
            NatsServer s = new NatsServer(p, port, version);
            try {
                s.awaitListening();
                return s;
            } catch (IOException e) {
                s.close();
                last = new IOException(e.getMessage() + "; log " + log + ":\n" + tail(log), e);
            }
        }
        throw last;
    }

    int port() { return port; }

    String url() { return "nats://127.0.0.1:" + port; }

    String version() { return version; }

    long pid() { return process.pid(); }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (true) {
            if (!process.isAlive()) throw new IOException("nats-server exited with code " + process.exitValue() + " before listening on port " + port);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new IOException("nats-server did not listen on port " + port + " within " + START_TIMEOUT_MS + " ms");
                Thread.sleep(20);
            }
        }
    }

    /** Kills the process and waits for it; idempotent. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("nats-server pid " + process.pid() + " did not die within 10 s of kill -9");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String versionOf(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.isEmpty() ? "?" : out;
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
