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
        int reopens) {

    public static final List<String> WORKLOADS = List.of("W1", "W2", "W3", "W4", "W6", "W7");

    public static final String USAGE = """
            usage: Harness [--short] [--only W1,W2,...] [--dir PATH] [--keep] [--json-only]
                           [--warmup-ms N] [--measure-ms N] [--writers N] [--batch N]
                           [--w3-entries N] [--w6-entries N] [--reopens N] [--virtual]
              --short        a few seconds per workload, small sizes (W3 100k, W6 200k)
              --only         run only these workloads (W1 W2 W3 W4 W6 W7; W7 implies the W6 build)
              --dir          scratch directory (default: a fresh temp dir under ./target, deleted after)
              --keep         keep the scratch data
              --json-only    print only the JSON lines
              --virtual      Quire's W1/W2 writers on virtual threads (SQLite and raw stay on platform
                             threads: they block in native code, which pins a carrier)
            """;

    public boolean runs(String w) { return only.isEmpty() || only.contains(w); }

    public static Config parse(String... args) {
        boolean shortMode = false, keep = false, jsonOnly = false, virtual = false;
        Set<String> only = new LinkedHashSet<>();
        Path dir = null;
        Long warmup = null, measure = null;
        Integer writers = null, batch = null, w3 = null, w6 = null, reopens = null;
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
                reopens != null ? reopens : shortMode ? 3 : 5);
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
        return l;
    }
}
