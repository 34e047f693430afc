package io.quire.bench;

import io.quire.core.Durability;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.merkle.InclusionProof;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The side-by-side harness (DESIGN §9): the same workloads against Quire, SQLite (JDBC, WAL,
 * synchronous=FULL) and a raw {@code FileChannel.write + force} loop, in one process run. Prints a
 * human table, one JSON object per (workload, system), then the ratios and absolute checks with
 * their targets. See docs/BENCHMARKS.md.
 *
 * <pre>
 *   W1        1 writer, durable append, 256 B                      target quire >= 0.9 x raw-fsync
 *   W2        64 writers, durable, separate streams (headline)     target quire >= 200k/s and >= 10 x sqlite
 *   W2-shared 64 writers, durable, one shared stream               reported
 *   W3        bulk import through appendBatch (batches of 10k)     target quire >= 500k/s
 *   W4        1000-entry pages over the W3 data                    target quire >= 2M entries/s
 *   W5        context ledger over loopback gRPC vs NATS JetStream  target watch p99 <= 2 ms; 64 clients >= 0.5 x W2
 *             (W5-watch latency, W5-append-N throughput with N clients)
 *   W6        Ledger.open + first read of a 10M-entry ledger       target quire <= 2 s
 *   W7        inclusion proof + verification at 10M entries        target quire p50 <= 100 us
 *   W8        windows slot matrix vs SQLite and a long[]           target setter >= 20M/s, scan >= 0.5 x memory
 *             (W8-open, W8-set, W8-cas2, W8-row, W8-scan)                 read, open of the pair <= 1 s
 * </pre>
 */
public final class Harness {
    public static final String QUIRE = "quire", SQLITE = "sqlite", RAW = "raw-fsync";
    public static final String JETSTREAM = JetStreamBackend.SYSTEM, JETSTREAM_SYNC = "jetstream-sync";
    /** W5's in-process reference: the core ledger's own watch, no gRPC, the same durability. */
    public static final String QUIRE_CORE = "quire-core";
    /** W5's split: appends over gRPC, the watch in the server's process. */
    public static final String QUIRE_SPLIT = "quire-grpc-append";
    private static final int W6_STREAMS = 100;

    private final Config cfg;
    private final PrintStream out;
    private final PrintStream log;
    private final List<Result> results = new ArrayList<>();
    private Path scratch;
    private String quireMissing;   // non-null: the core is still a stub

    private Harness(Config cfg, PrintStream out, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.log = log;
    }

    public static void main(String[] args) {
        int rc;
        try {
            rc = run(System.out, System.err, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            rc = 2;
        }
        System.exit(rc);
    }

    /** Runs the harness; returns the exit code (0, or 1 when a system failed with an error). */
    public static int run(PrintStream out, PrintStream log, String... args) {
        Config cfg = Config.parse(args);
        return new Harness(cfg, out, log).run();
    }

    /** The (workload, system) pairs a run reports, one JSON line each (W6-build lines come in addition). */
    public static List<String[]> expected(Config cfg) {
        List<String[]> l = new ArrayList<>();
        for (String w : Config.WORKLOADS) {
            if (!cfg.runs(w)) continue;
            switch (w) {
                case "W1", "W3", "W4" -> { for (String s : List.of(QUIRE, SQLITE, RAW)) l.add(new String[] {w, s}); }
                case "W2" -> {
                    for (String s : List.of(QUIRE, SQLITE, RAW)) l.add(new String[] {"W2", s});
                    for (String s : List.of(QUIRE, SQLITE, RAW)) l.add(new String[] {"W2-shared", s});
                }
                case "W6" -> { for (String s : List.of(QUIRE, SQLITE)) l.add(new String[] {w, s}); }
                case "W7" -> l.add(new String[] {w, QUIRE});
                case "W5" -> {
                    for (String s : List.of(QUIRE, JETSTREAM)) l.add(new String[] {"W5-watch", s});
                    for (int n : cfg.w5Clients()) {
                        for (String s : List.of(QUIRE, JETSTREAM, JETSTREAM_SYNC)) l.add(new String[] {"W5-append-" + n, s});
                    }
                }
                case "W8" -> {
                    l.add(new String[] {"W8-open", QUIRE});
                    for (String w8 : List.of("W8-set", "W8-cas2", "W8-row")) {
                        for (String s : List.of(QUIRE, SQLITE, SlotBench.HEAP)) l.add(new String[] {w8, s});
                    }
                    for (String s : List.of(QUIRE, SlotBench.MEM)) l.add(new String[] {"W8-scan", s});
                }
                default -> throw new IllegalStateException(w);
            }
        }
        return l;
    }

    private int run() {
        try {
            Path base = cfg.dir() != null ? cfg.dir() : Path.of("target");
            Files.createDirectories(base);
            scratch = Files.createTempDirectory(base, "quire-bench-");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a scratch directory: " + e);
        }
        long started = System.nanoTime();
        try {
            header();
            quireMissing = probeQuire();
            if (quireMissing != null) log.println("# quire: unavailable (" + quireMissing + "); its lines say so");
            if (cfg.runs("W1")) w1();
            if (cfg.runs("W2")) w2();
            Map<String, Backend> bulk = new LinkedHashMap<>();
            try {
                if (cfg.runs("W3")) w3(bulk);
                if (cfg.runs("W4")) w4(bulk);
            } finally {
                for (Backend b : bulk.values()) closeQuietly(b);
            }
            if (cfg.runs("W5")) w5();
            if (cfg.runs("W6") || cfg.runs("W7")) w6w7();
            if (cfg.runs("W8")) w8();
        } finally {
            if (!cfg.keep()) deleteTree(scratch);
            else log.println("# kept scratch data in " + scratch);
        }
        report((System.nanoTime() - started) / 1e9);
        return results.stream().anyMatch(r -> r.status().equals("error")) ? 1 : 0;
    }

    // ------------------------------------------------------------------------------------ setup

    private void header() {
        if (cfg.jsonOnly()) return;
        Runtime rt = Runtime.getRuntime();
        out.println("# Quire side-by-side benchmark");
        out.printf(Locale.ROOT, "# java %s (%s), %d cpus, max heap %d MiB, %s %s%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), rt.availableProcessors(), rt.maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.version"));
        String fs = "?";
        try {
            var store = Files.getFileStore(scratch);
            fs = store.name() + " (" + store.type() + ")";
        } catch (IOException ignored) {
            // informational only
        }
        out.println("# scratch " + scratch.toAbsolutePath() + " on " + fs);
        out.println("# " + String.join("; ", cfg.describe()));
        out.println("# load average at start: " + loadAverage() + " (other work on the machine skews every figure)");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private String probeQuire() {
        Path p = scratch.resolve("probe");
        try {
            Ledger.init(p);
            Ledger.open(p).close();
            return null;
        } catch (UnsupportedOperationException e) {
            return "core not implemented: " + e.getMessage();
        } catch (RuntimeException e) {
            return "cannot open a ledger: " + e;
        }
    }

    private Path dir(String... parts) {
        Path p = scratch;
        for (String s : parts) p = p.resolve(s);
        return p;
    }

    // ---------------------------------------------------------------------------- workloads

    private interface Body { Result run() throws Exception; }

    /** Runs one (workload, system) measurement, turning "not implemented" and failures into lines. */
    private Result measure(String workload, String system, String settings, Body body) {
        Result r;
        if (system.equals(QUIRE) && quireMissing != null) {
            r = Result.unavailable(workload, system, settings, quireMissing);
        } else {
            log.printf(Locale.ROOT, "# running %-9s %-9s %s%n", workload, system, settings);
            try {
                CpuMeter cpu = CpuMeter.start();
                r = body.run();
                r = r.withOtherCpu(cpu.otherCores());
            } catch (UnsupportedOperationException e) {
                r = Result.unavailable(workload, system, settings, "not implemented: " + e.getMessage());
            } catch (Throwable t) {
                t.printStackTrace(log);
                r = Result.error(workload, system, settings, t);
            }
        }
        results.add(r);
        log.println("#   " + r.json());
        return r;
    }

    private void w1() {
        String s = "sync (fdatasync per group commit), 1 writer";
        measure("W1", QUIRE, s, () -> {
            try (Backend b = QuireBackend.create(dir("W1", QUIRE), Durability.SYNC)) {
                return timedAppends("W1", b, 1, i -> "w1", s);
            }
        });
        String q = SqliteBackend.settings(true) + ", autocommit INSERT per entry, 1 connection";
        measure("W1", SQLITE, q, () -> {
            Files.createDirectories(dir("W1", SQLITE));
            try (Backend b = SqliteBackend.open(dir("W1", SQLITE, "w1.db"), true)) {
                return timedAppends("W1", b, 1, i -> "w1", q);
            }
        });
        String r = RawBackend.settings("per op (" + cfg.payloadBytes() + " B), 1 thread");
        measure("W1", RAW, r, () -> {
            try (Backend b = new RawBackend(dir("W1", RAW), cfg.payloadBytes(), true)) {
                return timedAppends("W1", b, 1, i -> "w1", r);
            }
        });
        deleteTree(dir("W1"));
    }

    private void w2() {
        int n = cfg.writers();
        for (boolean shared : new boolean[] {false, true}) {
            String w = shared ? "W2-shared" : "W2";
            IntFunction<String> stream = shared ? i -> "w2/shared" : i -> "w2/" + i;
            String where = shared ? "one shared stream" : "one stream per writer";
            String s = "sync (fdatasync per group commit), " + n + (cfg.virtualThreads() ? " virtual" : "") + " writer threads, " + where;
            measure(w, QUIRE, s, () -> {
                try (Backend b = QuireBackend.create(dir(w, QUIRE), Durability.SYNC)) {
                    return timedAppends(w, b, n, stream, s);
                }
            });
            String q = SqliteBackend.settings(true) + ", " + n + " connections, one INSERT transaction per entry, " + where;
            measure(w, SQLITE, q, () -> {
                Files.createDirectories(dir(w, SQLITE));
                try (Backend b = SqliteBackend.open(dir(w, SQLITE, "w2.db"), true)) {
                    return timedAppends(w, b, n, stream, q);
                }
            });
            String r = RawBackend.settings("per op, " + n + " threads, " + (shared ? "one shared file" : "one file per writer"));
            measure(w, RAW, r, () -> {
                try (Backend b = new RawBackend(dir(w, RAW), cfg.payloadBytes(), true)) {
                    return timedAppends(w, b, n, stream, r);
                }
            });
            deleteTree(dir(w));
        }
    }

    private void w3(Map<String, Backend> keep) {
        int n = cfg.w3Entries(), batch = cfg.batch();
        String s = "appendBatch of " + batch + ", sync (one fdatasync per batch)";
        measure("W3", QUIRE, s, () -> bulkImport(keep, QuireBackend.create(dir("W3", QUIRE), Durability.SYNC), n, batch, s));
        String q = SqliteBackend.settings(true) + ", one transaction per " + batch + " (executeBatch)";
        measure("W3", SQLITE, q, () -> {
            Files.createDirectories(dir("W3", SQLITE));
            return bulkImport(keep, SqliteBackend.open(dir("W3", SQLITE, "w3.db"), true), n, batch, q);
        });
        String r = RawBackend.settings("per batch (one write of " + batch + " x " + cfg.payloadBytes() + " B)");
        measure("W3", RAW, r, () -> bulkImport(keep, new RawBackend(dir("W3", RAW), cfg.payloadBytes(), true), n, batch, r));
    }

    private Result bulkImport(Map<String, Backend> keep, Backend b, int n, int batch, String settings) throws Exception {
        try {
            Payloads p = new Payloads(cfg.payloadBytes(), 3);
            LatencyRecorder lat = new LatencyRecorder();
            long busy = 0;
            for (int done = 0; done < n; ) {
                int k = Math.min(batch, n - done);
                List<byte[]> l = p.batch(k);
                long t = System.nanoTime();
                b.appendBatch("w3", l);
                long d = System.nanoTime() - t;
                lat.record(d);
                busy += d;
                done += k;
            }
            keep.put(b.system(), b);
            return Result.ok("W3", b.system(), n / (busy / 1e9), lat, "batch", settings);
        } catch (Throwable t) {
            closeQuietly(b);
            throw t;
        }
    }

    private void w4(Map<String, Backend> bulk) {
        int n = cfg.w3Entries();
        String s = "read(stream, after, " + cfg.pageSize() + ", null) over the W3 data (" + n + " entries)";
        measure("W4", QUIRE, s, () -> pages(bulk.containsKey(QUIRE) ? bulk.get(QUIRE)
                : buildUntimed(bulk, QuireBackend.create(dir("W4", QUIRE), Durability.NONE), n), n, s));
        String q = "SELECT ... WHERE stream=? AND seq>? ORDER BY seq LIMIT " + cfg.pageSize() + " over the W3 data";
        measure("W4", SQLITE, q, () -> {
            if (!bulk.containsKey(SQLITE)) {
                Files.createDirectories(dir("W4", SQLITE));
                buildUntimed(bulk, SqliteBackend.open(dir("W4", SQLITE, "w4.db"), false), n);
            }
            return pages(bulk.get(SQLITE), n, q);
        });
        String r = "FileChannel.read of " + cfg.pageSize() + " x " + cfg.payloadBytes() + " B, one array per record";
        measure("W4", RAW, r, () -> pages(bulk.containsKey(RAW) ? bulk.get(RAW)
                : buildUntimed(bulk, new RawBackend(dir("W4", RAW), cfg.payloadBytes(), false), n), n, r));
    }

    private Backend buildUntimed(Map<String, Backend> keep, Backend b, int n) throws Exception {
        Payloads p = new Payloads(cfg.payloadBytes(), 3);
        for (int done = 0; done < n; done += cfg.batch()) b.appendBatch("w3", p.batch(Math.min(cfg.batch(), n - done)));
        keep.put(b.system(), b);
        return b;
    }

    private Result pages(Backend b, long n, String settings) throws Exception {
        long warmEnd = System.nanoTime() + cfg.warmupMs() * 1_000_000L;
        do { readAll(b, n, null); } while (System.nanoTime() < warmEnd);
        LatencyRecorder lat = new LatencyRecorder();
        long entries = 0, t0 = System.nanoTime(), end = t0 + cfg.measureMs() * 1_000_000L;
        do { entries += readAll(b, n, lat); } while (System.nanoTime() < end);
        double secs = (System.nanoTime() - t0) / 1e9;
        return Result.ok("W4", b.system(), entries / secs, lat, "page of " + cfg.pageSize(), settings);
    }

    private long readAll(Backend b, long n, LatencyRecorder lat) throws Exception {
        long after = 0;
        int page = cfg.pageSize();
        while (after < n) {
            long t = System.nanoTime();
            int c = b.readPage("w3", after, page);
            if (lat != null) lat.record(System.nanoTime() - t);
            if (c != Math.min(page, n - after)) {
                throw new IllegalStateException(b.system() + " read " + c + " entries after seq " + after + " of " + n);
            }
            after += c;
        }
        return after;
    }

    private void w6w7() {
        int n = cfg.w6Entries();
        boolean report6 = cfg.runs("W6");
        String built = "built by appendBatch of " + cfg.batch() + " over " + W6_STREAMS + " streams";
        // --- Quire: build with durability none, reopen R times, keep the last one open for W7
        String s = built + " with durability none; timed: Ledger.open(defaults) + read of " + cfg.pageSize();
        QuireBackend[] open = new QuireBackend[1];
        Result q6 = measure("W6-build", QUIRE, "appendBatch, durability none", () -> {
            try (Backend b = QuireBackend.create(dir("W6", QUIRE), Durability.NONE)) {
                return build6("W6-build", b, n, "appendBatch, durability none");
            }
        });
        if (q6.isOk()) {
            Result r6 = reopen6(QUIRE, s, () -> QuireBackend.open(dir("W6", QUIRE), Durability.SYNC), open);
            if (!report6) results.remove(r6);
        } else if (report6) {
            results.add(notBuilt(q6, s));
        }
        if (cfg.runs("W7")) {
            String s7 = "proveInclusion(random position, size) + rootAt(size) + MerkleMath.verifyInclusion, size=" + n;
            measure("W7", QUIRE, s7, () -> {
                if (open[0] == null) throw new IllegalStateException("the W6 ledger is not there: see the W6 lines");
                if (MerkleVerify.missing() != null) throw new UnsupportedOperationException(MerkleVerify.missing());
                return proofs(open[0].ledger(), s7);
            });
        }
        if (open[0] != null) closeQuietly(open[0]);
        deleteTree(dir("W6", QUIRE));
        if (!report6) { results.removeIf(r -> r.workload().equals("W6-build")); return; }
        // --- SQLite: build with synchronous=OFF, reopen as WAL + FULL
        Result sq = measure("W6-build", SQLITE, SqliteBackend.settings(false), () -> {
            Files.createDirectories(dir("W6", SQLITE));
            try (Backend b = SqliteBackend.open(dir("W6", SQLITE, "w6.db"), false)) {
                return build6("W6-build", b, n, SqliteBackend.settings(false));
            }
        });
        if (sq.isOk()) {
            String ss = built + " with synchronous=OFF; timed: connect (WAL, FULL) + SELECT of " + cfg.pageSize();
            reopen6(SQLITE, ss, () -> SqliteBackend.open(dir("W6", SQLITE, "w6.db"), true), null);
        } else {
            results.add(notBuilt(sq, "reopen"));
        }
        deleteTree(dir("W6"));
    }

    /** The W6 line of a system whose build did not happen (same status and reason as the build line). */
    private static Result notBuilt(Result build, String settings) {
        return new Result("W6", build.system(), build.status(), 0, 0, 0, 0, null, settings, "build: " + build.reason(), null, Double.NaN);
    }

    private Result build6(String w, Backend b, int n, String settings) throws Exception {
        Payloads p = new Payloads(cfg.payloadBytes(), 6);
        LatencyRecorder lat = new LatencyRecorder();
        long t0 = System.nanoTime();
        int k = 0;
        for (int done = 0; done < n; k++) {
            int m = Math.min(cfg.batch(), n - done);
            List<byte[]> l = p.batch(m);
            long t = System.nanoTime();
            b.appendBatch("w6/" + (k % W6_STREAMS), l);
            lat.record(System.nanoTime() - t);
            done += m;
            if (k % 100 == 99) log.printf(Locale.ROOT, "#   %s %s: %,d of %,d%n", w, b.system(), done, n);
        }
        long t1 = System.nanoTime();
        b.close();
        log.printf(Locale.ROOT, "#   %s %s: close took %.1f ms%n", w, b.system(), (System.nanoTime() - t1) / 1e6);
        return Result.ok(w, b.system(), n / ((t1 - t0) / 1e9), lat, "batch", settings);
    }

    private interface Opener { Backend open() throws Exception; }

    private Result reopen6(String system, String settings, Opener opener, QuireBackend[] keepLast) {
        return measure("W6", system, settings, () -> {
            LatencyRecorder lat = new LatencyRecorder();
            long total = 0;
            for (int i = 0; i < cfg.reopens(); i++) {
                long t = System.nanoTime();
                Backend b = opener.open();
                int c;
                try {
                    c = b.readPage("w6/0", 0, cfg.pageSize());
                } catch (Throwable e) {
                    closeQuietly(b);
                    throw e;
                }
                long d = System.nanoTime() - t;
                lat.record(d);
                total += d;
                log.printf(Locale.ROOT, "#   W6 %s: open %d took %.1f ms (read %d)%n", system, i + 1, d / 1e6, c);
                if (c <= 0) { closeQuietly(b); throw new IllegalStateException("first read after reopen returned nothing"); }
                if (keepLast != null && i == cfg.reopens() - 1) keepLast[0] = (QuireBackend) b;
                else b.close();
            }
            return Result.ok("W6", system, cfg.reopens() / (total / 1e9), lat, "open", settings);
        });
    }

    private Result proofs(Ledger ledger, String settings) {
        long size = ledger.size();
        if (size <= 0) throw new IllegalStateException("empty ledger");
        SplittableRandom rnd = new SplittableRandom(7);
        long warmEnd = System.nanoTime() + cfg.warmupMs() * 1_000_000L;
        while (System.nanoTime() < warmEnd) proveAndVerify(ledger, rnd.nextLong(size), size);
        LatencyRecorder lat = new LatencyRecorder();
        long t0 = System.nanoTime(), end = t0 + cfg.measureMs() * 1_000_000L, t;
        do {
            long pos = rnd.nextLong(size);
            t = System.nanoTime();
            proveAndVerify(ledger, pos, size);
            long e = System.nanoTime();
            lat.record(e - t);
            t = e;
        } while (t < end);
        return Result.ok("W7", QUIRE, lat.count() / ((t - t0) / 1e9), lat, "proof", settings);
    }

    private static void proveAndVerify(Ledger ledger, long pos, long size) {
        InclusionProof proof = ledger.proveInclusion(pos, size);
        Hash root = ledger.rootAt(size);
        MerkleVerify.verify(proof, root);
    }

    /** A fixed window: warmup, then ops completing in [t0, t1] are counted and their latency kept. */
    private static final class Window {
        volatile long t0 = Long.MAX_VALUE, t1 = Long.MAX_VALUE;
        volatile boolean stop;
    }

    private Result timedAppends(String workload, Backend b, int writers, IntFunction<String> stream, String settings) throws Exception {
        return timedAppends(workload, b, writers, stream, settings, cfg.warmupMs());
    }

    private Result timedAppends(String workload, Backend b, int writers, IntFunction<String> stream, String settings, long warmupMs)
            throws Exception {
        Backend.Appender[] aps = new Backend.Appender[writers];
        LatencyRecorder[] recs = new LatencyRecorder[writers];
        Window w = new Window();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[writers];
        boolean virtual = cfg.virtualThreads() && b.system().equals(QUIRE);
        try {
            for (int i = 0; i < writers; i++) {
                aps[i] = b.appender(stream.apply(i));
                recs[i] = new LatencyRecorder();
            }
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < writers; i++) {
                final int id = i;
                Thread.Builder tb = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
                threads[i] = tb.name(workload + "-" + b.system() + "-" + i).start(() -> {
                    Payloads p = new Payloads(cfg.payloadBytes(), 100 + id);
                    LatencyRecorder r = recs[id];
                    Backend.Appender a = aps[id];
                    try {
                        go.await();
                        while (!w.stop) {
                            byte[] payload = p.next();
                            long s = System.nanoTime();
                            a.append(payload);
                            long e = System.nanoTime();
                            if (e >= w.t0 && e <= w.t1) r.record(e - s);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        w.stop = true;
                    }
                });
            }
            go.countDown();
            sleepUnless(warmupMs, w);
            w.t0 = System.nanoTime();
            sleepUnless(cfg.measureMs(), w);
            w.t1 = System.nanoTime();
            w.stop = true;
            for (Thread t : threads) t.join();
        } finally {
            w.stop = true;
            for (Thread t : threads) if (t != null) t.join();
            for (Backend.Appender a : aps) if (a != null) closeQuietly(a);
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            if (t instanceof Exception e) throw e;
            throw new IllegalStateException(t);
        }
        LatencyRecorder all = new LatencyRecorder();
        long[] per = new long[writers];
        for (int i = 0; i < writers; i++) {
            all.merge(recs[i]);
            per[i] = recs[i].count();
        }
        double secs = (w.t1 - w.t0) / 1e9;
        Result r = Result.ok(workload, b.system(), all.count() / secs, all, "entry", settings);
        if (writers > 1) {
            java.util.Arrays.sort(per);
            r = r.withNote(String.format(Locale.ROOT, "entries per writer in the window: min %d, median %d, max %d; max latency %.1f ms",
                    per[0], per[writers / 2], per[writers - 1], all.maxNanos() / 1e6));
        }
        return r;
    }

    private static void sleepUnless(long ms, Window w) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (!w.stop) {
            long left = end - System.nanoTime();
            if (left <= 0) return;
            Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000L)));
        }
    }

    // ------------------------------------------------------------------------------- W5

    /** A system that could not be started: its lines say skipped (with the reason) or error. */
    private record Unstarted(String status, String reason) {}

    private void sideBySide(String workload, String system, String settings, Unstarted down, Body body) {
        if (down == null) {
            measure(workload, system, settings, body);
            return;
        }
        Result r = new Result(workload, system, down.status(), 0, 0, 0, 0, null, settings, down.reason(), null, Double.NaN);
        results.add(r);
        log.println("#   " + r.json());
    }

    private void w5() {
        ContextBackend quire = null;
        NatsServer nats = null;
        JetStreamBackend js = null;
        Unstarted quireDown = null, natsDown = null;
        try {
            if (quireMissing != null) quireDown = new Unstarted("unavailable", quireMissing);
            else {
                try {
                    quire = ContextBackend.start(dir("W5", QUIRE));
                    log.println("# W5: QuireServer on 127.0.0.1:" + quire.port());
                } catch (RuntimeException e) {
                    e.printStackTrace(log);
                    quireDown = new Unstarted("error", "cannot start QuireServer: " + e);
                }
            }
            Path bin = NatsServer.findBinary();
            if (bin == null) {
                natsDown = new Unstarted("skipped", NatsServer.BINARY + " is not on PATH (install it, e.g. apt-get install nats-server)");
            } else {
                try {
                    nats = NatsServer.start(bin, dir("W5", "nats"));
                    log.println("# W5: " + nats.version() + " pid " + nats.pid() + " on " + nats.url() + ", store " + dir("W5", "nats"));
                    js = JetStreamBackend.create(nats);
                } catch (Exception e) {
                    e.printStackTrace(log);
                    natsDown = new Unstarted("error", "cannot start nats-server / create the stream: " + e);
                }
            }
            String natsVersion = nats == null ? "nats-server" : nats.version();
            final ContextBackend q = quire;
            final JetStreamBackend j = js;
            String rate = "open loop at " + cfg.w5Rate() + " appends/s, 1 appender + 1 watcher on one context, 256 B, "
                    + "latency = send (nanoTime in the payload) -> delivery to the watcher";
            String watchQ = ContextBackend.SETTINGS + "; ContextClient.watch; " + rate;
            String watchCore = "in-process Ledger.watch (no gRPC), durability sync: fdatasync per group commit before the ack; " + rate;
            sideBySide("W5-watch", QUIRE_CORE, watchCore, null, () -> {
                try (QuireBackend core = QuireBackend.create(dir("W5", QUIRE_CORE), Durability.SYNC)) {
                    return watchLatency(QUIRE_CORE, "w5-watch", core, core::watch, watchCore);
                }
            });
            String watchSplit = ContextBackend.SETTINGS + "; appends over gRPC, watched in the server's process on the served ledger (no gRPC on the watch side); " + rate;
            sideBySide("W5-watch", QUIRE_SPLIT, watchSplit, quireDown, () -> withServerAppendTail(q, () -> watchLatency(QUIRE_SPLIT, "w5-watch-split", q, q::coreWatch, watchSplit)));
            sideBySide("W5-watch", QUIRE, watchQ, quireDown, () -> withServerAppendTail(q, () -> watchLatency(QUIRE, "w5-watch", q, q::watch, watchQ)));
            String watchJ = natsVersion + ", " + JetStreamBackend.DURABILITY + "; sync publish (wait for the ack), ordered push consumer; " + rate;
            sideBySide("W5-watch", JETSTREAM, watchJ, natsDown, () -> watchLatency(JETSTREAM, "w5-watch", j, j::watch, watchJ));
            boolean first = true;
            for (int n : cfg.w5Clients()) {
                String w = "W5-append-" + n;
                // Each system's first line also runs the long warm-up (JIT under load); later lines reuse the compiled code.
                long warm = first ? Math.max(cfg.warmupMs(), cfg.w5WarmupMs()) : cfg.warmupMs();
                first = false;
                String shape = (n == 1 ? "1 client" : n + " clients, each") + " with its own connection and context/subject, 256 B, closed loop, "
                        + "untimed warm-up " + warm + " ms";
                String appendQ = ContextBackend.SETTINGS + "; " + shape + ", one blocking Append in flight per client";
                sideBySide(w, QUIRE, appendQ, quireDown, () -> timedAppends(w, q, n, i -> "w5-c" + n + "-" + i, appendQ, warm));
                String jsAsync = natsVersion + ", " + JetStreamBackend.DURABILITY + "; " + shape + ", publishAsync with at most "
                        + cfg.w5Inflight() + " unacknowledged per client";
                sideBySide(w, JETSTREAM, jsAsync, natsDown, () -> windowedAppends(w, j, n, cfg.w5Inflight(), i -> "w5-c" + n + "-" + i, jsAsync, warm));
                String jsSync = natsVersion + ", " + JetStreamBackend.DURABILITY + "; " + shape + ", sync publish (one in flight per client)";
                sideBySide(w, JETSTREAM_SYNC, jsSync, natsDown, () -> {
                    Result r = timedAppends(w, j, n, i -> "w5-s" + n + "-" + i, jsSync, warm);
                    return new Result(r.workload(), JETSTREAM_SYNC, r.status(), r.opsPerSec(), r.p50Us(), r.p99Us(), r.n(), r.unit(),
                            r.settings(), r.reason(), r.note(), r.otherCpu());
                });
            }
        } finally {
            if (js != null) closeQuietly(js);
            if (nats != null) {
                nats.close();
                log.println("# W5: nats-server pid " + nats.pid() + " killed");
            }
            if (quire != null) closeQuietly(quire);
            deleteTree(dir("W5"));
        }
    }

    /** {@code body}'s result with, in its note, how many of the server's own Append calls in it took over 1 and 2 ms. */
    private Result withServerAppendTail(ContextBackend q, Body body) throws Exception {
        long[] before = q.serverAppendCounts();
        Result r = body.run();
        long[] after = q.serverAppendCounts();
        long n = after[0] - before[0];
        return r.withNote((r.note() == null ? "" : r.note() + "; ") + String.format(Locale.ROOT,
                "server-side Append calls (interceptor start -> close): %d, over 1 ms %d, over 2 ms %d",
                n, n - (after[1] - before[1]), n - (after[2] - before[2])));
    }

    /** Waits up to 10 s until the watcher has {@code n} entries; fails naming {@code when}. */
    private static void awaitDelivered(java.util.concurrent.atomic.AtomicLong received, long n, String when) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.get() < n && System.nanoTime() < deadline) Thread.sleep(1);
        if (received.get() < n) throw new IllegalStateException("the watcher got " + received.get() + " of " + n + " entries within 10 s " + when);
    }

    private interface WatchOpener { AutoCloseable watch(String context, java.util.function.Consumer<byte[]> onPayload) throws Exception; }

    /**
     * One appender sends at a fixed rate (open loop: it sleeps until the next send time; when an append returns after
     * the next send time, the next send goes out at once without a catch-up burst, counted as late in the note),
     * stamping System.nanoTime() into the payload just before each append; one watcher records now - stamp for every
     * entry sent inside the measured window. A first append and its delivery prime both sides, untimed.
     */
    private Result watchLatency(String system, String context, Backend b, WatchOpener opener, String settings) throws Exception {
        LatencyRecorder rec = new LatencyRecorder();
        LatencyRecorder rtt = new LatencyRecorder(); // the appender's own call, send -> return
        long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        long sent = 0, late = 0, warmed = 0;
        long interval = 1_000_000_000L / cfg.w5Rate();
        try (AutoCloseable watch = opener.watch(context, p -> {
                long now = System.nanoTime();
                long stamp = java.nio.ByteBuffer.wrap(p).getLong(0);
                synchronized (rec) {
                    if (stamp >= window[0] && stamp <= window[1]) rec.record(now - stamp);
                }
                received.incrementAndGet();
            });
             Backend.Appender a = b.appender(context)) {
            Payloads payloads = new Payloads(cfg.payloadBytes(), 5);
            // Prime: the first append and delivery (connection set-up, first watch event) stay outside every window.
            a.append(payloads.next());
            sent++;
            awaitDelivered(received, 1, "of the first append");
            // Closed-loop warm-up on the watched context, so the window measures compiled code (see --w5-watch-warmup-ms).
            // Its stamps are real send times, all before the window, so a late delivery of one is never recorded.
            long warmEnd = System.nanoTime() + cfg.w5WatchWarmupMs() * 1_000_000L;
            while (System.nanoTime() < warmEnd) {
                byte[] p = payloads.next();
                java.nio.ByteBuffer.wrap(p).putLong(0, System.nanoTime());
                a.append(p);
                sent++;
                warmed++;
            }
            awaitDelivered(received, sent, "after the warm-up");
            long start = System.nanoTime();
            long measureFrom = start + cfg.warmupMs() * 1_000_000L, end = measureFrom + cfg.measureMs() * 1_000_000L;
            synchronized (rec) {
                window[0] = measureFrom;
                window[1] = end;
            }
            long next = start;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) break;
                if (now < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                    continue;
                }
                if (now - next > interval) {
                    late++;       // an append returned after the next send time: send now, no catch-up burst
                    next = now;
                }
                byte[] p = payloads.next();
                long stamp = System.nanoTime();
                java.nio.ByteBuffer.wrap(p).putLong(0, stamp);
                a.append(p);
                if (stamp >= measureFrom) rtt.record(System.nanoTime() - stamp);
                sent++;
                next += interval;
            }
            awaitDelivered(received, sent, "after the last append");
            if (received.get() != sent) throw new IllegalStateException("the watcher got " + received.get() + " entries, " + sent + " were sent");
        }
        Result r;
        synchronized (rec) {
            if (rec.count() == 0) throw new IllegalStateException("no entry was sent inside the measured window (" + sent + " sent in all)");
            r = Result.ok("W5-watch", system, rec.count() / (cfg.measureMs() / 1000.0), rec, "entry (append -> watch delivery)", settings);
            r = r.withNote(String.format(Locale.ROOT, "closed-loop warm-up %d ms (%d appends); %d sent, all delivered; %d sends started more than one interval late (the previous append had not returned); max %.1f ms; "
                    + "the append calls themselves (send -> return): p50 %.0f us, p99 %.0f us, max %.1f ms",
                    cfg.w5WatchWarmupMs(), warmed, sent, late, rec.maxNanos() / 1e6, rtt.percentileMicros(50), rtt.percentileMicros(99), rtt.maxNanos() / 1e6));
        }
        return r;
    }

    /**
     * Like {@link #timedAppends} with asynchronous appends: each client keeps at most {@code inflight} appends
     * unacknowledged (it waits for the oldest before sending more). An append counts when its ack arrives inside the
     * measured window; its latency is send -> ack.
     */
    private Result windowedAppends(String workload, JetStreamBackend b, int clients, int inflight, IntFunction<String> stream, String settings,
                                   long warmupMs) throws Exception {
        JetStreamBackend.AsyncAppender[] aps = new JetStreamBackend.AsyncAppender[clients];
        LatencyRecorder[] recs = new LatencyRecorder[clients];
        Window w = new Window();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[clients];
        try {
            for (int i = 0; i < clients; i++) {
                aps[i] = b.asyncAppender(stream.apply(i));
                recs[i] = new LatencyRecorder();
            }
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < clients; i++) {
                final int id = i;
                threads[i] = Thread.ofPlatform().daemon().name(workload + "-" + b.system() + "-" + i).start(() -> {
                    Payloads p = new Payloads(cfg.payloadBytes(), 100 + id);
                    LatencyRecorder r = recs[id];
                    JetStreamBackend.AsyncAppender a = aps[id];
                    @SuppressWarnings("unchecked")
                    java.util.concurrent.CompletableFuture<Long>[] ring = new java.util.concurrent.CompletableFuture[inflight];
                    long[] sentAt = new long[inflight];
                    try {
                        go.await();
                        for (long seq = 0; ; seq++) {
                            int slot = (int) (seq % inflight);
                            if (ring[slot] != null) {
                                long done = ring[slot].join();
                                if (done >= w.t0 && done <= w.t1) r.record(done - sentAt[slot]);
                                ring[slot] = null;
                            }
                            if (w.stop) break;
                            byte[] payload = p.next();
                            sentAt[slot] = System.nanoTime();
                            ring[slot] = a.append(payload).thenApply(ack -> System.nanoTime());
                        }
                        for (java.util.concurrent.CompletableFuture<Long> f : ring) if (f != null) f.join();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        w.stop = true;
                    }
                });
            }
            go.countDown();
            sleepUnless(warmupMs, w);
            w.t0 = System.nanoTime();
            sleepUnless(cfg.measureMs(), w);
            w.t1 = System.nanoTime();
            w.stop = true;
            for (Thread t : threads) t.join();
        } finally {
            w.stop = true;
            for (Thread t : threads) if (t != null) t.join();
            for (JetStreamBackend.AsyncAppender a : aps) if (a != null) closeQuietly(a);
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            if (t instanceof Exception e) throw e;
            throw new IllegalStateException(t);
        }
        LatencyRecorder all = new LatencyRecorder();
        long[] per = new long[clients];
        for (int i = 0; i < clients; i++) {
            all.merge(recs[i]);
            per[i] = recs[i].count();
        }
        double secs = (w.t1 - w.t0) / 1e9;
        Result r = Result.ok(workload, b.system(), all.count() / secs, all, "entry (publish -> ack)", settings);
        java.util.Arrays.sort(per);
        return r.withNote(String.format(Locale.ROOT, "entries per client in the window: min %d, median %d, max %d; max latency %.1f ms",
                per[0], per[clients / 2], per[clients - 1], all.maxNanos() / 1e6));
    }

    // ------------------------------------------------------------------------------- W8

    private void w8() {
        SlotBench sb = new SlotBench(cfg, dir("W8"), log);
        try {
            String grid = sb.grid() + ", walked in layout order (symbol-major)";
            measure("W8-open", QUIRE, "TradeLedger.open + EnrichmentLedger.open of an existing full-year pair, " + SlotBench.SYMBOLS_CAPACITY
                    + " symbols x " + sb.minutes + " minutes (" + SlotBench.YEAR + "), sparse, clean shutdown before", () ->
                    sb.open("TradeLedger.open + EnrichmentLedger.open of an existing full-year pair, " + SlotBench.SYMBOLS_CAPACITY
                            + " symbols x " + sb.minutes + " minutes (" + SlotBench.YEAR + "), sparse, clean shutdown before"));
            String setQ = "setTradeRef(symbol, minute, meta, expectedVersion), 1 thread, " + grid + "; mapped file, no msync";
            measure("W8-set", QUIRE, setQ, () -> sb.setQuire(setQ));
            String setS = SlotBench.sqliteSettings() + ", 1 connection";
            measure("W8-set", SQLITE, setS, () -> sb.setSqlite(setS));
            String setH = "plain on-heap long[] with the same 4 x 8 B per slot: check version, store 3 longs + bump the word, " + grid;
            measure("W8-set", SlotBench.HEAP, setH, () -> sb.setHeap(setH));
            String hot = SlotBench.CAS_THREADS + " threads, " + SlotBench.HOT + " hot slots (symbol 0, minutes 0.." + (SlotBench.HOT - 1)
                    + "), each attempt expects the version it last saw and writes version+1";
            measure("W8-cas2", QUIRE, "setTradeRef with expectedVersion; " + hot, () -> sb.casQuire("setTradeRef with expectedVersion; " + hot));
            measure("W8-cas2", SQLITE, SlotBench.sqliteSettings() + ", " + hot + "; a lost UPDATE re-reads the version with a SELECT",
                    () -> sb.casSqlite(SlotBench.sqliteSettings() + ", " + hot));
            measure("W8-cas2", SlotBench.HEAP, "AtomicLongArray.compareAndSet on the versions; " + hot,
                    () -> sb.casHeap("AtomicLongArray.compareAndSet on the versions; " + hot));
            String rowQ = "getTradeRow(random symbol, random minute) over " + sb.grid() + " (filled), 1 thread";
            measure("W8-row", QUIRE, rowQ, () -> sb.rowQuire(rowQ));
            String rowS = "SELECT payload_id, version FROM slots WHERE symbol=? AND minute=?, random rows, " + SlotBench.sqliteSettings();
            measure("W8-row", SQLITE, rowS, () -> sb.rowSqlite(rowS));
            String rowH = "16 longs of a random row of the on-heap long[], " + sb.grid();
            measure("W8-row", SlotBench.HEAP, rowH, () -> sb.rowHeap(rowH));
            String scanQ = "iterSymbol(symbol, 0, " + sb.minutes + ") visiting every row (reads all 4 slots, sums a version), "
                    + sb.symbols() + " symbols round robin, " + (sb.scanBytes() >> 20) + " MiB";
            measure("W8-scan", QUIRE, scanQ, () -> sb.scanQuire(scanQ));
            String scanM = "sequential sum of longs over an off-heap MemorySegment of the same " + (sb.scanBytes() >> 20) + " MiB, 1 thread";
            measure("W8-scan", SlotBench.MEM, scanM, () -> sb.scanMemory(scanM));
        } finally {
            sb.close();
            deleteTree(dir("W8"));
        }
    }

    // ------------------------------------------------------------------------------- report

    /** A ratio or an absolute check with its target. */
    record Check(String kind, String name, Double value, String target, Boolean met) {
        String json() {
            return "{\"" + kind + "\":" + Result.Json.str(name) + ",\"value\":" + (value == null ? "null" : Result.Json.num(value))
                    + ",\"target\":" + Result.Json.str(target) + ",\"met\":" + met + "}";
        }
    }

    private Result find(String w, String s) {
        for (Result r : results) if (r.workload().equals(w) && r.system().equals(s) && r.isOk()) return r;
        return null;
    }

    private List<Check> checks() {
        List<Check> l = new ArrayList<>();
        ratio(l, "W1", QUIRE, RAW, 0.9);
        ratio(l, "W1", SQLITE, RAW, null);
        atLeast(l, "W2", 200_000);
        ratio(l, "W2", QUIRE, SQLITE, 10.0);
        ratio(l, "W2", QUIRE, RAW, null);
        ratio(l, "W2", SQLITE, RAW, null);
        ratio(l, "W2-shared", QUIRE, SQLITE, null);
        ratio(l, "W2-shared", QUIRE, RAW, null);
        atLeast(l, "W3", 500_000);
        ratio(l, "W3", QUIRE, SQLITE, null);
        ratio(l, "W3", QUIRE, RAW, null);
        atLeast(l, "W4", 2_000_000);
        ratio(l, "W4", QUIRE, SQLITE, null);
        ratio(l, "W4", QUIRE, RAW, null);
        atMostUs(l, "W6", "p50_us", 2_000_000);
        atMostUs(l, "W7", "p50_us", 100);
        atMostUs(l, "W7", "p99_us", null);
        atMostUs(l, "W5-watch", "p50_us", null);
        atMostUs(l, "W5-watch", "p99_us", 2_000);
        for (int n : cfg.w5Clients()) {
            ratio(l, "W5-append-" + n, QUIRE, JETSTREAM, null);
            ratio(l, "W5-append-" + n, QUIRE, JETSTREAM_SYNC, null);
        }
        w5VersusW2(l);
        atLeast(l, "W8-set", 20_000_000);
        ratio(l, "W8-set", QUIRE, SlotBench.HEAP, null);
        ratio(l, "W8-set", QUIRE, SQLITE, null);
        ratio(l, "W8-cas2", QUIRE, SQLITE, null);
        ratio(l, "W8-cas2", QUIRE, SlotBench.HEAP, null);
        atMostUs(l, "W8-row", "p50_us", null);
        atMostUs(l, "W8-row", "p99_us", null);
        ratio(l, "W8-row", QUIRE, SQLITE, null);
        ratio(l, "W8-scan", QUIRE, SlotBench.MEM, 0.5);
        atMostUs(l, "W8-open", "p50_us", 1_000_000);
        atMostUs(l, "W8-open", "p99_us", 1_000_000);
        return l;
    }

    /**
     * W5's gRPC appends with the most clients (64 by default) against the in-process W2 figure of the same run
     * (target >= 0.5 with 64 clients); n/a when W2 did not run or failed, with the absolute figure next to it.
     */
    private void w5VersusW2(List<Check> l) {
        int top = cfg.w5Clients().stream().mapToInt(Integer::intValue).max().orElse(0);
        String w = "W5-append-" + top;
        if (!ran(w)) return;
        Result a = find(w, QUIRE), w2 = find("W2", QUIRE);
        Double v = a == null || w2 == null ? null : a.opsPerSec() / w2.opsPerSec();
        Double min = top == 64 ? 0.5 : null;
        l.add(new Check("ratio", w + " quire/W2 quire ops_per_s", v, min == null ? "info" : ">= " + fmt(min),
                min == null || v == null ? null : v >= min));
        l.add(new Check("check", w + " quire ops_per_s", a == null ? null : a.opsPerSec(),
                w2 == null ? "info (W2 not run)" : "info (W2 quire " + fmt(Math.rint(w2.opsPerSec())) + ")", null));
    }

    private boolean ran(String w) { return results.stream().anyMatch(r -> r.workload().equals(w)); }

    private void ratio(List<Check> l, String w, String a, String b, Double min) {
        if (!ran(w)) return;
        Result ra = find(w, a), rb = find(w, b);
        Double v = ra == null || rb == null ? null : ra.opsPerSec() / rb.opsPerSec();
        String target = min == null ? "info" : ">= " + fmt(min);
        l.add(new Check("ratio", w + " " + a + "/" + b + " ops_per_s", v, target, min == null || v == null ? null : v >= min));
    }

    private void atLeast(List<Check> l, String w, double min) {
        if (!ran(w)) return;
        Result r = find(w, QUIRE);
        Double v = r == null ? null : r.opsPerSec();
        l.add(new Check("check", w + " quire ops_per_s", v, ">= " + fmt(min), v == null ? null : v >= min));
    }

    private void atMostUs(List<Check> l, String w, String field, Integer maxUs) {
        if (!ran(w)) return;
        Result r = find(w, QUIRE);
        Double v = r == null ? null : field.equals("p50_us") ? r.p50Us() : r.p99Us();
        String target = maxUs == null ? "info" : "<= " + fmt(maxUs);
        l.add(new Check("check", w + " quire " + field, v, target, maxUs == null || v == null ? null : v <= maxUs));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%s", d);
    }

    private void report(double seconds) {
        List<Check> checks = checks();
        if (!cfg.jsonOnly()) {
            out.println();
            out.printf(Locale.ROOT, "%-10s %-10s %14s %12s %12s %10s %6s  %s%n", "workload", "system", "ops/s", "p50 us", "p99 us", "n",
                    "other", "unit; settings");
            for (Result r : results) {
                if (r.isOk()) {
                    out.printf(Locale.ROOT, "%-10s %-10s %14s %,12.1f %,12.1f %,10d %6s  %s; %s%s%n", r.workload(), r.system(),
                            String.format(Locale.ROOT, r.opsPerSec() < 100 ? "%,.2f" : "%,.0f", r.opsPerSec()),
                            r.p50Us(), r.p99Us(), r.n(), Double.isNaN(r.otherCpu()) ? "?" : String.format(Locale.ROOT, "%.2f", r.otherCpu()),
                            r.unit(), r.settings(), r.note() == null ? "" : "\n" + " ".repeat(81) + "(" + r.note() + ")");
                } else {
                    out.printf(Locale.ROOT, "%-10s %-10s %14s %12s %12s %10s  %s: %s%n", r.workload(), r.system(), r.status().toUpperCase(Locale.ROOT),
                            "-", "-", "-", r.settings(), r.reason());
                }
            }
            out.println("(other = CPU cores used by other processes during the measurement; the machine has "
                    + Runtime.getRuntime().availableProcessors() + ")");
            out.println();
            for (Check c : checks) {
                String v = c.value() == null ? "n/a" : String.format(Locale.ROOT, "%,.3f", c.value());
                String verdict = c.met() == null ? (c.value() == null ? "n/a" : "") : c.met() ? "MET" : "MISSED";
                out.printf(Locale.ROOT, "%-34s %16s   target %-12s %s%n", c.name(), v, c.target(), verdict);
            }
            out.printf(Locale.ROOT, "%n# total %.1f s; load average at end: %s%n%n", seconds, loadAverage());
        }
        for (Result r : results) out.println(r.json());
        for (Check c : checks) out.println(c.json());
        out.flush();
    }

    // ------------------------------------------------------------------------------ helpers

    private void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.println("# close failed: " + e);
        }
    }

    private void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            log.println("# could not delete " + p + ": " + e);
        }
    }
}
