package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FrameReader} allocates its window lazily and grows it from {@link FrameReader#WINDOW_BYTES_FIRST} to
 * {@link FrameReader#WINDOW_BYTES}: reads, id lookups and watches must return the same entries whatever the frame
 * sizes relative to the window (frames smaller than the first window, straddling window edges, larger than the
 * largest window, a large frame first).
 */
class FrameReaderWindowTest {
    @TempDir Path dir;

    /** Payload sizes chosen around the window sizes (4 KiB first, doubling to 64 KiB). */
    private static final int[] SIZES = {300, 5_000, 1, 4_000, 70_000, 200, 9_000, 130_000, 17, 3_900, 33_000, 66_000, 250};

    private static byte[] payload(int i, int n) {
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) b[k] = (byte) (i * 31 + k);
        return b;
    }

    @Test
    void shouldReadLookUpAndWatchFramesOfEverySizeAroundTheWindow() throws Exception {
        Ledger.init(dir);
        int rounds = 6; // enough entries that one read needs several windows
        List<Entry> written = new ArrayList<>();
        try (Ledger l = Ledger.open(dir)) {
            // A large frame first: the first window must grow to it.
            written.add(l.append("s", new Draft("big-first", "k", new TreeMap<>(), payload(-1, 100_000))));
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < SIZES.length; i++) {
                    int n = r * SIZES.length + i;
                    written.add(l.append("s", new Draft("id-" + n, "k" + (n % 3), new TreeMap<>(Map.of("m", "v" + n)), payload(n, SIZES[i]))));
                }
            }

            List<Entry> all = l.read("s", 0, 0, null);
            assertThat(all).hasSize(written.size());
            for (int i = 0; i < all.size(); i++) assertSame(all.get(i), written.get(i));

            // Reads starting anywhere (the first window then starts mid-stream) and key-filtered reads.
            for (int after = 0; after < written.size(); after += 7) {
                List<Entry> page = l.read("s", after, 5, null);
                for (int k = 0; k < page.size(); k++) assertSame(page.get(k), written.get(after + k));
            }
            List<Entry> k1 = l.read("s", 0, 0, "k1");
            assertThat(k1).extracting(Entry::key).containsOnly("k1");
            assertThat(k1).hasSize((int) written.stream().filter(e -> e.key().equals("k1")).count());

            // Every id is found (a candidate read), absent ids are not (nothing read).
            for (Entry e : written) assertSame(l.findById("s", e.id()).orElseThrow(), e);
            for (int i = 0; i < 100; i++) assertThat(l.findById("s", "absent-" + i)).isEmpty();

            // A watch from the start sees the backlog, then live entries, in order and exactly once.
            List<Entry> seen = new CopyOnWriteArrayList<>();
            Watch w = l.watch("s", 0, null, new WatchListener() {
                @Override public void onEntry(Entry e) { seen.add(e); }
            });
            for (int i = 0; i < SIZES.length; i++) {
                written.add(l.append("s", new Draft("live-" + i, "k", new TreeMap<>(), payload(1000 + i, SIZES[i]))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < written.size() && System.nanoTime() < deadline) Thread.sleep(5);
            w.close();
            assertThat(seen).hasSize(written.size());
            for (int i = 0; i < seen.size(); i++) assertSame(seen.get(i), written.get(i));
        }
        // And after a reopen (reads go through sealed/recovered segments).
        try (Ledger l = Ledger.open(dir)) {
            List<Entry> all = new ArrayList<>();
            long after = 0;
            while (true) {
                List<Entry> page = l.read("s", after, 10, null);
                if (page.isEmpty()) break;
                all.addAll(page);
                after = page.get(page.size() - 1).seq();
            }
            assertThat(all).hasSize(written.size());
            for (int i = 0; i < all.size(); i++) assertSame(all.get(i), written.get(i));
        }
    }

    private static void assertSame(Entry got, Entry want) {
        assertThat(got.seq()).isEqualTo(want.seq());
        assertThat(got.position()).isEqualTo(want.position());
        assertThat(got.id()).isEqualTo(want.id());
        assertThat(got.key()).isEqualTo(want.key());
        assertThat(got.hash()).isEqualTo(want.hash());
        assertThat(got.payload()).isEqualTo(want.payload());
        assertThat(got.metadata()).isEqualTo(want.metadata());
    }
}
