package io.quire.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command-line settings of the {@link Harness}. Every size has a full and a {@code --short} default. */
public record Config(
        boolean shortMode,
        Set<String> only,
        Path dir,
        boolean keep,
        boolean jsonOnly,
        boolean virtualThreads,
        long warmupMs,
        long measureMs,
        int writers,
        int payloadBytes,
        int batch,
        int w3Entries,
        int w6Entries,
        int pageSize,
        int reopens,
        int w5Rate,
        int w5Inflight,
        List<Integer> w5Clients,
        long w5WarmupMs,
        long w5WatchWarmupMs,
        int w8Symbols,
        int w8SqliteRows) {

    public static final List<String> WORKLOADS = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8");

    /** W8's on-heap long[] holds symbols x minutes x 16 longs (64 symbols: ~800 MB); more would overflow an int index. */
    public static final int W8_SYMBOLS_MAX = 64;
    /** W8's SQLite table is prefilled in one transaction. */
    public static final int W8_SQLITE_ROWS_MAX = 1_000_000;

    public static final String USAGE = """
            usage: Harness [--short] [--only W1,W2,...] [--dir PATH] [--keep] [--json-only]
                           [--warmup-ms N] [--measure-ms N] [--writers N] [--batch N]
                           [--w3-entries N] [--w6-entries N] [--reopens N] [--virtual]
                           [--w5-rate N] [--w5-inflight N] [--w5-clients 1,16,64] [--w5-warmup-ms N] [--w5-watch-warmup-ms N]
                           [--w8-symbols N] [--w8-sqlite-rows N]
              --short        a few seconds per workload, small sizes (W3 100k, W6 200k, W8 2 symbols)
              --only         run only these workloads (W1 ... W8; W7 implies the W6 build)
              --dir          scratch directory (default: a fresh temp dir under ./target, deleted after)
              --keep         keep the scratch data
              --json-only    print only the JSON lines
              --w5-rate      W5 watch: appends per second, open loop (default 500)
              --w5-inflight  W5 JetStream async publishes in flight per client (default 16)
              --w5-clients   W5 append client counts (default 1,16,64)
              --w5-warmup-ms W5 untimed appends before each system's first append line, with that line's
                             clients (full 30000, short 0): on 2 vCPUs the gRPC and jnats paths take tens of
                             seconds under load to be compiled; --warmup-ms alone measures them half-compiled
              --w5-watch-warmup-ms W5 watch: untimed closed-loop appends on the watched context before each
                             system's open loop (full 20000, short 0), for the same reason: at 500 appends/s
                             the per-call code is still being compiled during the first tens of seconds
              --w8-symbols   W8 symbols (full years) walked by the setter, getTradeRow and the scan (full 8, short 2)
              --w8-sqlite-rows W8 SQLite rows (symbol 0, minutes 0..N-1) walked by its UPDATE loop (full 20000, short 2000)
              --virtual      Quire's W1/W2 writers on virtual threads (SQLite and raw stay on platform
                             threads: they block in native code, which pins a carrier)
            """;

    public boolean runs(String w) { return only.isEmpty() || only.contains(w); }

    public static Config parse(String... args) {
        boolean shortMode = false, keep = false, jsonOnly = false, virtual = false;
        Set<String> only = new LinkedHashSet<>();
        Path dir = null;
        Long warmup = null, measure = null, w5Warmup = null, w5WatchWarmup = null;
        Integer writers = null, batch = null, w3 = null, w6 = null, reopens = null;
        Integer w5Rate = null, w5Inflight = null, w8Symbols = null, w8SqliteRows = null;
        List<Integer> w5Clients = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--short" -> shortMode = true;
                case "--keep" -> keep = true;
                case "--json-only" -> jsonOnly = true;
                case "--virtual" -> virtual = true;
                case "--only" -> {
                    for (String w : value(args, ++i, a).split(",")) {
                        String u = w.trim().toUpperCase(Locale.ROOT);
                        if (u.isEmpty()) continue;
                        if (!WORKLOADS.contains(u)) throw new IllegalArgumentException("unknown workload " + w + "; known: " + WORKLOADS);
                        only.add(u);
                    }
                }
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--warmup-ms" -> warmup = Long.parseLong(value(args, ++i, a));
                case "--measure-ms" -> measure = Long.parseLong(value(args, ++i, a));
                case "--writers" -> writers = Integer.parseInt(value(args, ++i, a));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i, a));
                case "--w3-entries" -> w3 = Integer.parseInt(value(args, ++i, a));
                case "--w6-entries" -> w6 = Integer.parseInt(value(args, ++i, a));
                case "--reopens" -> reopens = Integer.parseInt(value(args, ++i, a));
                case "--w5-rate" -> w5Rate = positive(a, value(args, ++i, a));
                case "--w5-inflight" -> w5Inflight = positive(a, value(args, ++i, a));
                case "--w5-clients" -> {
                    List<Integer> l = new ArrayList<>();
                    for (String c : value(args, ++i, a).split(",")) if (!c.isBlank()) l.add(positive(a, c.trim()));
                    if (l.isEmpty()) throw new IllegalArgumentException(a + " needs at least one client count");
                    w5Clients = List.copyOf(l);
                }
                case "--w5-warmup-ms" -> w5Warmup = nonNegative(a, value(args, ++i, a));
                case "--w5-watch-warmup-ms" -> w5WatchWarmup = nonNegative(a, value(args, ++i, a));
                case "--w8-symbols" -> w8Symbols = atMost(a, positive(a, value(args, ++i, a)), W8_SYMBOLS_MAX);
                case "--w8-sqlite-rows" -> w8SqliteRows = atMost(a, positive(a, value(args, ++i, a)), W8_SQLITE_ROWS_MAX);
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown argument " + a + "\n" + USAGE);
            }
        }
        return new Config(shortMode, only, dir, keep, jsonOnly, virtual,
                warmup != null ? warmup : shortMode ? 500 : 2_000,
                measure != null ? measure : shortMode ? 1_500 : 10_000,
                writers != null ? writers : 64,
                256,
                batch != null ? batch : 10_000,
                w3 != null ? w3 : shortMode ? 100_000 : 1_000_000,
                w6 != null ? w6 : shortMode ? 200_000 : 10_000_000,
                1_000,
                reopens != null ? reopens : shortMode ? 3 : 5,
                w5Rate != null ? w5Rate : 500,
                w5Inflight != null ? w5Inflight : 16,
                w5Clients != null ? w5Clients : List.of(1, 16, 64),
                w5Warmup != null ? w5Warmup : shortMode ? 0 : 30_000,
                w5WatchWarmup != null ? w5WatchWarmup : shortMode ? 0 : 20_000,
                w8Symbols != null ? w8Symbols : shortMode ? 2 : 8,
                w8SqliteRows != null ? w8SqliteRows : shortMode ? 2_000 : 20_000);
    }

    private static int atMost(String flag, int n, int max) {
        if (n > max) throw new IllegalArgumentException(flag + " must be <= " + max + ", got " + n);
        return n;
    }

    private static long nonNegative(String flag, String v) { return atLeast(flag, v, 0, Long.MAX_VALUE); }

    private static int positive(String flag, String v) { return (int) atLeast(flag, v, 1, Integer.MAX_VALUE); }

    /** {@code v} as a whole number of at least {@code min} and at most {@code max} (a bigger one is "not a number"). */
    private static long atLeast(String flag, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        }
        if (n > max) throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        if (n < min) throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + n);
        return n;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }

    public List<String> describe() {
        List<String> l = new ArrayList<>();
        l.add("mode=" + (shortMode ? "short" : "full"));
        l.add("warmup=" + warmupMs + "ms measure=" + measureMs + "ms");
        l.add("writers=" + writers + (virtualThreads ? " (quire: virtual threads)" : " (platform threads)")
                + " payload=" + payloadBytes + "B batch=" + batch);
        l.add("W3 entries=" + w3Entries + " W6/W7 entries=" + w6Entries + " page=" + pageSize + " reopens=" + reopens);
        l.add("W5 watch rate=" + w5Rate + "/s clients=" + w5Clients + " append warm-up=" + w5WarmupMs + "ms watch warm-up=" + w5WatchWarmupMs + "ms jetstream in flight=" + w5Inflight
                + "; W8 symbols=" + w8Symbols + " sqlite rows=" + w8SqliteRows);
        return l;
    }
}
