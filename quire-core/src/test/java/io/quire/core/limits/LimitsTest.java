package io.quire.core.limits;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import io.quire.core.index.IdTable;
import io.quire.core.model.TestSupport;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.quire.core.model.TestSupport.expectQuire;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every named limit of {@link Limits} at {@code max} (accepted and round-tripped through a real
 * ledger, across a reopen) and {@code max + 1} (INVALID_INPUT naming the limit, nothing written),
 * UTF-8 byte counting at the boundaries, the static relations of {@code Limits}, and the memory
 * budget of the resident id table.
 */
class LimitsTest {
    static final String ASCII = "a";
    static final String TWO = "é";          // U+00E9: 2 bytes of UTF-8
    static final String THREE = "€";        // U+20AC: 3 bytes
    static final String FOUR = "\uD83D\uDE00"; // U+1F600: 4 bytes, 2 chars

    @TempDir Path dir;
    Ledger ledger;

    @BeforeEach
    void open() {
        Ledger.init(dir);
        ledger = Ledger.open(dir, LedgerOptions.defaults().withDurability(Durability.NONE));
    }

    @AfterEach
    void close() { if (ledger != null) ledger.close(); }

    private void reopen() {
        ledger.close();
        ledger = Ledger.open(dir, LedgerOptions.defaults().withDurability(Durability.NONE));
    }

    /** {@code body} is refused with INVALID_INPUT whose message names {@code what}, and nothing is written. */
    private void refused(String what, Runnable body) {
        long size = ledger.size();
        int streams = ledger.streams().size();
        QuireException q = expectQuire(ErrorKind.INVALID_INPUT, body);
        assertThat(q.getMessage()).as("message of a refusal").contains(what);
        assertThat(ledger.size()).as("size after a refusal naming " + what).isEqualTo(size);
        assertThat(ledger.streams()).as("streams after a refusal naming " + what).hasSize(streams);
    }

    /** A draft is refused on every write path: append, appendAsync, appendBatch (alone and in a batch). */
    private void refusedEverywhere(String stream, Draft d, String what) {
        refused(what, () -> ledger.append(stream, d));
        refused(what, () -> ledger.appendAsync(stream, d).join());
        refused(what, () -> ledger.appendBatch(stream, List.of(Draft.of("fine"), d)));
    }

    private Entry roundTrip(String stream, Draft d) {
        Entry e = ledger.append(stream, d);
        Entry back = ledger.read(stream, e.seq() - 1, 1, null).getFirst();
        TestSupport.assertSameEntry(e, back, true, "read back at the limit");
        assertThat(e.payload()).isEqualTo(d.payload());
        assertThat(e.metadata()).isEqualTo(d.metadata());
        assertThat(e.key()).isEqualTo(d.key());
        return e;
    }

    private static String repeat(String s, int n) { return s.repeat(n); }

    // ------------------------------------------------------------------ payload

    @Test
    void shouldAcceptPayloadAtMaxAndRefuseMaxPlusOne() {
        byte[] max = new byte[Limits.PAYLOAD_BYTES_MAX];
        new Random(7).nextBytes(max);
        Entry e = roundTrip("p", Draft.of(max));
        refusedEverywhere("p", Draft.of(new byte[Limits.PAYLOAD_BYTES_MAX + 1]), "PAYLOAD_BYTES_MAX");
        reopen();
        assertThat(ledger.findById("p", e.id()).orElseThrow().payload()).isEqualTo(max);
    }

    // ------------------------------------------------------------------ stream names

    @Test
    void shouldCountStreamNameBytesAsUtf8AtTheBoundary() {
        List<String> atMax = List.of(
                repeat(ASCII, 255),
                repeat(THREE, 85),                     // 85 chars, 255 bytes
                repeat(FOUR, 63) + repeat(ASCII, 3),   // 126 chars, 255 bytes
                repeat(TWO, 127) + ASCII);             // 128 chars, 255 bytes
        for (String name : atMax) {
            assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(Limits.STREAM_NAME_BYTES_MAX);
            Entry e = roundTrip(name, Draft.of("at max"));
            assertThat(e.stream()).isEqualTo(name);
            ByteArrayOutputStream snap = new ByteArrayOutputStream();
            ledger.snapshot(name, snap);
            assertThat(ledger.load(name, new ByteArrayInputStream(snap.toByteArray()), false).entriesRestored()).isZero();
        }
        List<String> overMax = List.of(
                repeat(ASCII, 256),
                repeat(THREE, 85) + ASCII,             // 86 chars, 256 bytes
                repeat(THREE, 86),                     // 258 bytes
                repeat(TWO, 128),                      // 128 chars, 256 bytes
                repeat(FOUR, 64));                     // 256 bytes
        for (String name : overMax) {
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(Limits.STREAM_NAME_BYTES_MAX);
            assertThat(name.length()).isLessThanOrEqualTo(256);
            refusedEverywhere(name, Draft.of("x"), "STREAM_NAME_BYTES_MAX");
            refused("STREAM_NAME_BYTES_MAX", () -> ledger.read(name, 0, 0, null));
            refused("STREAM_NAME_BYTES_MAX", () -> ledger.findById(name, "x"));
            refused("STREAM_NAME_BYTES_MAX", () -> ledger.watch(name, 0, null, e -> { }));
            refused("STREAM_NAME_BYTES_MAX", () -> ledger.snapshot(name, new ByteArrayOutputStream()));
        }
        reopen();
        for (String name : atMax) assertThat(ledger.read(name, 0, 0, null)).hasSize(1);
    }

    @Test
    void shouldRefuseNulEmptyAndLoneSurrogatesInStreamNames() {
        refusedEverywhere("a\0b", Draft.of("x"), "NUL");
        refusedEverywhere("\0", Draft.of("x"), "NUL");
        refusedEverywhere("", Draft.of("x"), "stream name must not be empty");
        for (String bad : List.of("\uD800", "a\uDC00b", "end\uD83D", "\uDE00\uD83Dx")) {
            refusedEverywhere(bad, Draft.of("x"), "lone surrogate");
            refused("lone surrogate", () -> ledger.read(bad, 0, 0, null));
        }
        // A proper pair is fine.
        roundTrip("pair" + FOUR, Draft.of("x"));
    }

    // ------------------------------------------------------------------ ids and keys

    @Test
    void shouldAcceptIdsAtMaxBytesAndRefuseMaxPlusOneEmptyAndLoneSurrogates() {
        for (String id : List.of(repeat(ASCII, 128), repeat(TWO, 64), repeat(FOUR, 32), repeat(THREE, 42) + "ab")) {
            assertThat(id.getBytes(StandardCharsets.UTF_8)).hasSize(Limits.ID_BYTES_MAX);
            Entry e = roundTrip("ids", Draft.of("x" + id).withId(id));
            assertThat(e.id()).isEqualTo(id);
            assertThat(ledger.findById("ids", id)).map(Entry::seq).contains(e.seq());
            assertThat(ledger.append("ids", Draft.of("x" + id).withId(id)).seq()).isEqualTo(e.seq()); // idempotent at the limit
        }
        for (String id : List.of(repeat(ASCII, 129), repeat(TWO, 64) + ASCII, repeat(FOUR, 32) + ASCII, repeat(THREE, 43))) {
            refusedEverywhere("ids", Draft.of("x").withId(id), "ID_BYTES_MAX");
            refused("ID_BYTES_MAX", () -> ledger.findById("ids", id));
        }
        refusedEverywhere("ids", Draft.of("x").withId(""), "id must not be empty");
        refused("id must not be empty", () -> ledger.findById("ids", ""));
        refusedEverywhere("ids", Draft.of("x").withId("x\uD800"), "lone surrogate");
        reopen();
        assertThat(ledger.findById("ids", repeat(FOUR, 32))).isPresent();
    }

    @Test
    void shouldAcceptKeysAtMaxBytesAndRefuseMaxPlusOne() {
        for (String key : List.of(repeat(ASCII, 255), repeat(THREE, 85))) {
            Entry e = roundTrip("keys", Draft.of("k").withKey(key));
            assertThat(ledger.read("keys", 0, 0, key)).extracting(Entry::seq).containsExactly(e.seq());
        }
        roundTrip("keys", Draft.of("empty key").withKey(""));
        for (String key : List.of(repeat(ASCII, 256), repeat(THREE, 85) + ASCII, repeat(TWO, 128))) {
            refusedEverywhere("keys", Draft.of("x").withKey(key), "KEY_BYTES_MAX");
        }
        refusedEverywhere("keys", Draft.of("x").withKey("\uDC00"), "lone surrogate");
    }

    // ------------------------------------------------------------------ metadata

    @Test
    void shouldAcceptMetadataEntriesAtMaxAndRefuseMaxPlusOne() {
        Map<String, String> max = new TreeMap<>();
        for (int i = 0; i < Limits.METADATA_ENTRIES_MAX; i++) max.put("k" + i, "v" + i);
        Entry e = roundTrip("meta", Draft.of("m").withMetadata(max));
        Map<String, String> over = new TreeMap<>(max);
        over.put("one-more", "");
        refusedEverywhere("meta", Draft.of("m").withMetadata(over), "METADATA_ENTRIES_MAX");
        reopen();
        assertThat(ledger.findById("meta", e.id()).orElseThrow().metadata()).isEqualTo(max);
    }

    @Test
    void shouldAcceptMetadataBytesAtMaxAndRefuseMaxPlusOne() {
        int max = Limits.METADATA_BYTES_MAX;
        List<Map<String, String>> atMax = List.of(
                Map.of("k", repeat("v", max - 1)),
                Map.of(TWO, repeat("v", max - 2)),                              // a 2-byte key
                Map.of("a", repeat(THREE, (max - 2) / 3) + "xy", "b", ""),    // multi-byte value
                Map.of("k1", repeat("v", max / 2 - 2), "k2", repeat("w", max / 2 - 2)));
        for (Map<String, String> m : atMax) {
            long bytes = m.entrySet().stream().mapToLong(x -> x.getKey().getBytes(StandardCharsets.UTF_8).length
                    + x.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
            assertThat(bytes).isEqualTo(max);
            roundTrip("meta", Draft.of("m").withMetadata(m));
        }
        for (Map<String, String> m : List.of(
                Map.of("k", repeat("v", max)),
                Map.of(TWO, repeat("v", max - 1)),
                Map.of("a", repeat(THREE, (max - 2) / 3) + "xyz", "b", ""))) {
            refusedEverywhere("meta", Draft.of("m").withMetadata(m), "METADATA_BYTES_MAX");
        }
        refusedEverywhere("meta", Draft.of("m").withMetadata(Map.of("", "v")), "metadata key must not be empty");
        refusedEverywhere("meta", Draft.of("m").withMetadata(Map.of("k", "\uD800")), "lone surrogate");
        reopen();
        assertThat(ledger.read("meta", 0, 0, null)).hasSize(atMax.size());
    }

    // ------------------------------------------------------------------ segments

    @Test
    void shouldAcceptSegmentBytesWithinMinMaxAndRefuseOutside() {
        assertThat(LedgerOptions.defaults().withSegmentBytes(Limits.SEGMENT_BYTES_MIN).segmentBytes()).isEqualTo(Limits.SEGMENT_BYTES_MIN);
        assertThat(LedgerOptions.defaults().withSegmentBytes(Limits.SEGMENT_BYTES_MAX).segmentBytes()).isEqualTo(Limits.SEGMENT_BYTES_MAX);
        assertThat(LedgerOptions.defaults().segmentBytes()).isEqualTo(Limits.SEGMENT_BYTES_DEFAULT);
        QuireException low = expectQuire(ErrorKind.INVALID_INPUT, () -> LedgerOptions.defaults().withSegmentBytes(Limits.SEGMENT_BYTES_MIN - 1));
        assertThat(low.getMessage()).contains("SEGMENT_BYTES_MIN");
        QuireException high = expectQuire(ErrorKind.INVALID_INPUT, () -> LedgerOptions.defaults().withSegmentBytes(Limits.SEGMENT_BYTES_MAX + 1));
        assertThat(high.getMessage()).contains("SEGMENT_BYTES_MAX");
        // A ledger opened at the largest segment size works (nothing is preallocated).
        ledger.close();
        ledger = Ledger.open(dir, LedgerOptions.defaults().withDurability(Durability.NONE).withSegmentBytes(Limits.SEGMENT_BYTES_MAX));
        Entry e = roundTrip("seg", Draft.of("in a 2 GiB segment"));
        reopen();
        assertThat(ledger.readPosition(e.position()).hash()).isEqualTo(e.hash());
    }

    /**
     * The relation Limits' static block guards: a worst-case entry (every field at its limit) fits
     * in a fresh segment of the smallest size, so two of them need two segments and both round-trip.
     */
    @Test
    void shouldFitWorstCaseEntriesInSmallestSegments() throws Exception {
        ledger.close();
        LedgerOptions small = LedgerOptions.defaults().withDurability(Durability.NONE).withSegmentBytes(Limits.SEGMENT_BYTES_MIN);
        ledger = Ledger.open(dir, small);
        String stream = repeat(THREE, 85);
        List<Entry> written = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            Map<String, String> md = new TreeMap<>();
            int perEntry = Limits.METADATA_BYTES_MAX / Limits.METADATA_ENTRIES_MAX;
            for (int i = 0; i < Limits.METADATA_ENTRIES_MAX; i++) {
                String k = String.format("k%03d", i);
                md.put(k, repeat("v", perEntry - k.length()));
            }
            byte[] payload = new byte[Limits.PAYLOAD_BYTES_MAX];
            Arrays.fill(payload, (byte) n);
            Draft d = new Draft(repeat(FOUR, 31) + n + "xyz", repeat(THREE, 85), new TreeMap<>(md), payload);
            written.add(roundTrip(stream, d));
        }
        long segs;
        try (var files = Files.list(dir.resolve("log"))) {
            segs = files.filter(p -> p.toString().endsWith(".seg")).count();
        }
        assertThat(segs).as("segments for three worst-case entries").isEqualTo(3);
        ledger.close();
        ledger = Ledger.open(dir, small);
        TestSupport.assertSameEntries(written, ledger.read(stream, 0, 0, null), true, "worst-case entries after reopen");
        assertThat(ledger.verify((a, b, c) -> { }, true).failures()).isEmpty();
    }

    // ------------------------------------------------------------------ batch and read

    @Test
    void shouldAcceptBatchAndReadAtMaxAndRefuseMaxPlusOne() {
        List<Draft> max = new ArrayList<>(Limits.BATCH_ENTRIES_MAX + 1);
        for (int i = 0; i < Limits.BATCH_ENTRIES_MAX; i++) max.add(Draft.of(new byte[] {(byte) i}));
        List<Entry> got = ledger.appendBatch("b", max);
        assertThat(got).hasSize(Limits.BATCH_ENTRIES_MAX);
        assertThat(got.getLast().seq()).isEqualTo(Limits.BATCH_ENTRIES_MAX);
        max.add(Draft.of("one more"));
        refused("BATCH_ENTRIES_MAX", () -> ledger.appendBatch("b", max));
        refused("BATCH_ENTRIES_MAX", () -> ledger.appendBatch("fresh", max));

        ledger.append("b", Draft.of("past a full page"));
        assertThat(ledger.read("b", 0, Limits.READ_LIMIT_MAX, null)).hasSize(Limits.READ_LIMIT_MAX);
        assertThat(ledger.read("b", 0, 0, null)).as("limit 0 = up to READ_LIMIT_MAX").hasSize(Limits.READ_LIMIT_MAX);
        assertThat(ledger.read("b", Limits.READ_LIMIT_MAX, 0, null)).extracting(Entry::seq).containsExactly((long) Limits.READ_LIMIT_MAX + 1);
        // Asking for more than a page is refused, not silently cut: a short page would look like the end of the stream.
        refused("READ_LIMIT_MAX", () -> ledger.read("b", 0, Limits.READ_LIMIT_MAX + 1, null));
        refused("limit", () -> ledger.read("b", 0, -1, null));
        refused("after", () -> ledger.read("b", -1, 0, null));
    }

    // ------------------------------------------------------------------ watchers

    @Test
    void shouldAcceptDefaultWatchersPerStreamAndRefuseOneMore() throws Exception {
        ledger.append("w", Draft.of("x"));
        List<Watch> ws = new ArrayList<>();
        try {
            for (int i = 0; i < Limits.WATCHERS_PER_STREAM_DEFAULT; i++) ws.add(ledger.watch("w", 0, null, e -> { }));
            QuireException q = expectQuire(ErrorKind.CONFLICT, () -> ws.add(ledger.watch("w", 0, null, e -> { })));
            assertThat(q.code()).isEqualTo("too_many_watchers");
            assertThat(q.getMessage()).contains("WATCHERS_PER_STREAM").contains(String.valueOf(Limits.WATCHERS_PER_STREAM_DEFAULT));
            ws.getFirst().close();
            assertThat(ws.getFirst().awaitEnd().reason()).isEqualTo(WatchEnd.Reason.CANCELLED);
            ws.set(0, ledger.watch("w", 0, null, e -> { }));
        } finally {
            for (Watch w : ws) w.close();
        }
        QuireException zero = expectQuire(ErrorKind.INVALID_INPUT, () -> LedgerOptions.defaults().withWatchersPerStream(0));
        assertThat(zero.getMessage()).contains("watchers per stream");
    }

    // ------------------------------------------------------------------ the class itself

    /** Names of Limits' constants and the test above that covers each (or why none can). */
    static final Map<String, String> COVERED = Map.ofEntries(
            Map.entry("PAYLOAD_BYTES_MAX", "shouldAcceptPayloadAtMaxAndRefuseMaxPlusOne"),
            Map.entry("STREAM_NAME_BYTES_MAX", "shouldCountStreamNameBytesAsUtf8AtTheBoundary"),
            Map.entry("ID_BYTES_MAX", "shouldAcceptIdsAtMaxBytesAndRefuseMaxPlusOneEmptyAndLoneSurrogates"),
            Map.entry("KEY_BYTES_MAX", "shouldAcceptKeysAtMaxBytesAndRefuseMaxPlusOne"),
            Map.entry("METADATA_ENTRIES_MAX", "shouldAcceptMetadataEntriesAtMaxAndRefuseMaxPlusOne"),
            Map.entry("METADATA_BYTES_MAX", "shouldAcceptMetadataBytesAtMaxAndRefuseMaxPlusOne"),
            Map.entry("SEGMENT_BYTES_DEFAULT", "shouldAcceptSegmentBytesWithinMinMaxAndRefuseOutside"),
            Map.entry("SEGMENT_BYTES_MIN", "shouldAcceptSegmentBytesWithinMinMaxAndRefuseOutside"),
            Map.entry("SEGMENT_BYTES_MAX", "shouldAcceptSegmentBytesWithinMinMaxAndRefuseOutside"),
            Map.entry("WATCHERS_PER_STREAM_DEFAULT", "shouldAcceptDefaultWatchersPerStreamAndRefuseOneMore"),
            Map.entry("BATCH_ENTRIES_MAX", "shouldAcceptBatchAndReadAtMaxAndRefuseMaxPlusOne"),
            Map.entry("READ_LIMIT_MAX", "shouldAcceptBatchAndReadAtMaxAndRefuseMaxPlusOne"),
            // Not boundary-testable: 2^31 - 1 streams cannot be created in a unit test.
            Map.entry("STREAMS_MAX", "none: a documented ceiling (u32 stream ids)"));

    @Test
    void shouldLoadLimitsInAFreshClassLoaderAndCoverEveryConstant() throws Exception {
        // A fresh loader runs Limits' static relation checks again, in isolation.
        URL classes = Limits.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> c = Class.forName(Limits.class.getName(), true, fresh);
            assertThat(c).isNotSameAs(Limits.class);
            assertThat(c.getDeclaredField("PAYLOAD_BYTES_MAX").getInt(null)).isEqualTo(Limits.PAYLOAD_BYTES_MAX);
            Set<String> names = new TreeSet<>();
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m)) names.add(f.getName());
            }
            assertThat(names).as("every limit has a boundary test listed in COVERED").isEqualTo(new TreeSet<>(COVERED.keySet()));
        }
        // The relations the static block states, restated independently.
        long worstFrame = (long) Limits.PAYLOAD_BYTES_MAX + 2L * Limits.STREAM_NAME_BYTES_MAX + Limits.ID_BYTES_MAX
                + Limits.KEY_BYTES_MAX + Limits.METADATA_BYTES_MAX + 8L * Limits.METADATA_ENTRIES_MAX + 4096;
        assertThat(worstFrame).isLessThanOrEqualTo(Limits.SEGMENT_BYTES_MIN);
        assertThat(Limits.SEGMENT_BYTES_DEFAULT).isBetween(Limits.SEGMENT_BYTES_MIN, Limits.SEGMENT_BYTES_MAX);
        assertThat(Limits.SEGMENT_BYTES_MAX).as("offsets are u32").isLessThanOrEqualTo(1L << 32);
        assertThat(Limits.READ_LIMIT_MAX).as("a full batch reads back in one page").isGreaterThanOrEqualTo(Limits.BATCH_ENTRIES_MAX);
        assertThat(Limits.METADATA_ENTRIES_MAX).as("metadata count is a u16 in the frame").isLessThan(1 << 16);
        assertThat(Limits.ID_BYTES_MAX).as("id length is a u16 in the frame").isLessThan(1 << 16);
        assertThat(Limits.KEY_BYTES_MAX).as("key length is a u16 in the frame").isLessThan(1 << 16);
        assertThat(Limits.STREAM_NAME_BYTES_MAX).as("stream name length is a u16 in the frame").isLessThan(1 << 16);
    }

    // ------------------------------------------------------------------ resident id table

    // Invariants checked: after every one of 1,000,000 inserts past the first growth, the id table
    // costs at most 16 bytes per entry (capacity * 8 / size), and every inserted (fingerprint,
    // position) is found again. A size assertion, not a timing one.
    @Test
    void shouldKeepTheIdTableWithinSixteenBytesPerEntry() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            IdTable t = new IdTable();
            Random rnd = new Random(seed);
            int n = 1_000_000;
            long[] fps = new long[n];
            double worst = 0;
            for (int i = 0; i < n; i++) {
                fps[i] = rnd.nextInt(10) == 0 ? IdTable.fingerprint(i % 7, "id-" + i) : rnd.nextLong();
                t.insert(fps[i], i);
                if (i + 1 >= 1024) worst = Math.max(worst, t.capacity() * 8.0 / (i + 1));
            }
            assertThat(t.size()).isEqualTo(n);
            assertThat(t.capacity() * 8.0 / t.size()).as("bytes per entry at 1,000,000").isLessThanOrEqualTo(16.0);
            assertThat(worst).as("worst bytes per entry from 1024 entries on").isLessThanOrEqualTo(16.0);
            for (int k = 0; k < 20_000; k++) {
                int i = rnd.nextInt(n);
                long[] found = {-1};
                t.lookup(fps[i], p -> { if (p == i) { found[0] = p; return true; } return false; });
                assertThat(found[0]).as("position of insert " + i).isEqualTo(i);
            }
        });
    }
}
