package io.quire.core.model;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.LoadResult;
import io.quire.core.QuireException;
import io.quire.core.StreamInfo;
import io.quire.core.VerifyReport;
import io.quire.core.snapshot.Snapshot;
import io.quire.core.snapshot.SnapshotCodec;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchEnd;
import io.quire.core.watch.WatchListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.quire.core.model.TestSupport.assertChain;
import static io.quire.core.model.TestSupport.assertSameEntries;
import static io.quire.core.model.TestSupport.assertSameEntry;
import static io.quire.core.model.TestSupport.expectQuire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random operation sequences against a real ledger, each checked against a plain in-memory model:
 * per stream a list of entries, positions global.
 *
 * <p>Invariants checked: every appended entry gets seq = stream length + 1, position = ledger size,
 * prev_hash = the stream's last hash and a hash that recomputes from its fields; an explicit id
 * already in the stream returns that entry unchanged with the same content and is refused with
 * CONFLICT "id_reused" (nothing written) with other content; appendBatch and bursts of appendAsync
 * follow the same rules in submission order; read(after, limit, key) returns exactly the model's
 * filtered page; findById finds exactly the model's entry; every watcher receives exactly the
 * model's matching entries after its start point, in order, once, and ends CANCELLED (close) or
 * LEDGER_CLOSED (ledger close) with the right last seq; snapshot holds exactly the stream; load
 * follows DESIGN §3.3 (exact restore, suffix only, no-op when already loaded, divergent and
 * fail_if_exists refused with nothing written, re-chained under another name); size(), streams()
 * and every position survive close and reopen with other segment sizes and durability modes; and
 * verify() finds nothing wrong at the end.
 *
 * <p>{@code -Dquire.test.seed=N} replays one run; {@code -Dquire.test.model.seeds} and
 * {@code -Dquire.test.model.ops} raise the number of runs and operations per run.
 */
class ModelBasedTest {
    static final int SEEDS = Integer.getInteger("quire.test.model.seeds", 20);
    static final int OPS = Integer.getInteger("quire.test.model.ops", 300);
    static final String[] STREAMS = {"ctx/alpha", "intent/βeta", "state/svc", "windows/audit"};
    static final String[] MOVED = {"moved/one", "moved/twö"};
    static final String[] KEYS = {"", "facts", "k2"};
    /** Upper bound for a watcher to catch up; a liveness guard, not a timing assertion. */
    static final long CATCH_UP_MS = 30_000;

    @TempDir Path tmp;

    // Invariants checked: see the class comment — every result of append, appendBatch,
    // appendAsync, read, findById, watch, snapshot, load, streams(), size() and readPosition equals
    // the model's, through reopens; seed i of a run is base + i, printed on failure.
    @Test
    void shouldMatchTheModelForRandomOperationSequences() {
        long base = TestSupport.seed();
        int runs = TestSupport.seedFixed() ? 1 : SEEDS;
        for (int i = 0; i < runs; i++) {
            long seed = base + i;
            Path dir = tmp.resolve("run-" + i);
            TestSupport.withSeed(seed, s -> new Run(dir, new Random(s)).run(OPS));
        }
    }

    /** One seeded run: a ledger, its model and the live watchers. */
    private static final class Run {
        private final Path dir;
        private final Random rnd;
        private final Map<String, List<Entry>> model = new LinkedHashMap<>();
        private final Map<String, Map<String, Entry>> ids = new HashMap<>();
        private final List<Entry> byPosition = new ArrayList<>();
        private final List<Watcher> watchers = new ArrayList<>();
        private final Deque<String> trace = new ArrayDeque<>();
        private Ledger ledger;
        private int idCounter;
        private int emptyLedgers;

        Run(Path dir, Random rnd) {
            this.dir = dir;
            this.rnd = rnd;
            for (String s : STREAMS) { model.put(s, new ArrayList<>()); ids.put(s, new HashMap<>()); }
            for (String s : MOVED) { model.put(s, new ArrayList<>()); ids.put(s, new HashMap<>()); }
        }

        void run(int ops) throws Exception {
            Ledger.init(dir);
            ledger = Ledger.open(dir, randomOptions());
            try {
                for (int op = 0; op < ops; op++) {
                    try {
                        step(op);
                    } catch (Throwable t) {
                        throw new AssertionError("op " + op + " failed; last ops:\n  " + String.join("\n  ", trace), t);
                    }
                }
                catchUpWatchers();
                checkAll(true);
                VerifyReport v = ledger.verify((done, total, what) -> { }, true);
                assertThat(v.failures()).as("verify failures").isEmpty();
                assertThat(v.entries()).isEqualTo(byPosition.size());
            } finally {
                ledger.close();
            }
            for (Watcher w : watchers) w.expectEnd(WatchEnd.Reason.LEDGER_CLOSED);
        }

        private void note(String s) {
            trace.addLast(s);
            if (trace.size() > 40) trace.removeFirst();
        }

        private void step(int op) throws Exception {
            int r = rnd.nextInt(100);
            if (r < 30) append();
            else if (r < 36) appendRepeatingId();
            else if (r < 44) appendBatch();
            else if (r < 48) appendBurst();
            else if (r < 60) read();
            else if (r < 67) findById();
            else if (r < 72) startWatcher();
            else if (r < 76) catchUpWatchers();
            else if (r < 78) closeWatcher();
            else if (r < 88) snapshotAndLoad();
            else if (r < 89 && emptyLedgers == 0) loadIntoEmptyLedger();
            else if (r < 91) reopen();
            else appendToUnknownStreamCheckStreams();
            checkHeads();
        }

        // ------------------------------------------------------------------ appends

        private String appendStream() {
            return rnd.nextInt(10) == 0 ? MOVED[rnd.nextInt(MOVED.length)] : STREAMS[rnd.nextInt(STREAMS.length)];
        }

        private Draft randomDraft(boolean explicitId) {
            Map<String, String> md = new TreeMap<>();
            int n = rnd.nextInt(4);
            for (int i = 0; i < n; i++) md.put(rnd.nextBoolean() ? "m" + rnd.nextInt(6) : "ключ" + rnd.nextInt(3), "v" + rnd.nextInt(1000));
            byte[] payload = new byte[rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(2049)];
            rnd.nextBytes(payload);
            String id = explicitId ? freshId() : null;
            return new Draft(id, KEYS[rnd.nextInt(KEYS.length)], new TreeMap<>(md), payload);
        }

        private String freshId() {
            idCounter++;
            return switch (rnd.nextInt(3)) {
                case 0 -> "id-" + idCounter;
                case 1 -> "ïd/" + idCounter + "/" + rnd.nextInt(1000);
                default -> "req-\uD83D\uDE00-" + idCounter;
            };
        }

        private void append() {
            String s = appendStream();
            Draft d = randomDraft(rnd.nextInt(3) == 0);
            // Sometimes reuse an id of another stream: ids are per stream, so it is a new entry.
            if (d.id() != null && rnd.nextInt(4) == 0) {
                Optional<Entry> other = anyEntryOutside(s);
                if (other.isPresent() && !ids.get(s).containsKey(other.get().id())) d = d.withId(other.get().id());
            }
            note("append " + s + " id=" + d.id() + " key=" + d.key() + " bytes=" + d.payload().length);
            Entry e = ledger.append(s, d);
            expectNew(s, d, e);
        }

        private Optional<Entry> anyEntryOutside(String s) {
            if (byPosition.isEmpty()) return Optional.empty();
            Entry e = byPosition.get(rnd.nextInt(byPosition.size()));
            return e.stream().equals(s) ? Optional.empty() : Optional.of(e);
        }

        private void appendRepeatingId() {
            String s = appendStream();
            List<Entry> es = model.get(s);
            if (es.isEmpty()) { append(); return; }
            Entry old = es.get(rnd.nextInt(es.size()));
            long sizeBefore = ledger.size();
            if (rnd.nextBoolean()) {
                note("append " + s + " repeating id=" + old.id() + " same content");
                Entry again = ledger.append(s, new Draft(old.id(), old.key(), old.metadata(), old.payload().clone()));
                assertSameEntry(old, again, true, "repeated id returns the existing entry");
            } else {
                byte[] other = Arrays.copyOf(old.payload(), old.payload().length + 1);
                other[other.length - 1] = (byte) rnd.nextInt();
                note("append " + s + " repeating id=" + old.id() + " other payload");
                QuireException q = expectQuire(ErrorKind.CONFLICT,
                        () -> ledger.append(s, new Draft(old.id(), old.key(), old.metadata(), other)));
                assertThat(q.code()).isEqualTo("id_reused");
            }
            assertThat(ledger.size()).as("size after a repeated id").isEqualTo(sizeBefore);
        }

        private void appendBatch() {
            String s = appendStream();
            int n = 1 + rnd.nextInt(6);
            List<Draft> drafts = new ArrayList<>();
            boolean conflict = false;
            for (int i = 0; i < n; i++) {
                int k = rnd.nextInt(10);
                List<Entry> es = model.get(s);
                if (k < 5 || (k >= 7 && es.isEmpty() && drafts.isEmpty())) drafts.add(randomDraft(false));
                else if (k < 7) drafts.add(randomDraft(true));
                else if (k < 8 && !es.isEmpty()) {
                    Entry old = es.get(rnd.nextInt(es.size()));
                    drafts.add(new Draft(old.id(), old.key(), old.metadata(), old.payload()));
                } else if (k < 9 && !drafts.isEmpty()) {
                    drafts.add(drafts.get(rnd.nextInt(drafts.size())));
                } else if (!es.isEmpty() && rnd.nextInt(3) == 0) {
                    Entry old = es.get(rnd.nextInt(es.size()));
                    drafts.add(new Draft(old.id(), old.key(), old.metadata(), new byte[] {1, 2, 3, (byte) old.seq(), 9, 9, 9}));
                    conflict = !Arrays.equals(old.payload(), drafts.getLast().payload());
                    if (!conflict) drafts.removeLast();
                    if (conflict) break;
                } else drafts.add(randomDraft(rnd.nextBoolean()));
            }
            note("appendBatch " + s + " n=" + drafts.size() + " conflict=" + conflict);
            long sizeBefore = ledger.size();
            if (conflict) {
                QuireException q = expectQuire(ErrorKind.CONFLICT, () -> ledger.appendBatch(s, drafts));
                assertThat(q.code()).isEqualTo("id_reused");
                assertThat(ledger.size()).as("size after a refused batch").isEqualTo(sizeBefore);
                return;
            }
            List<Entry> got = ledger.appendBatch(s, drafts);
            assertThat(got).hasSize(drafts.size());
            Map<String, Entry> inBatch = new HashMap<>();
            for (int i = 0; i < drafts.size(); i++) {
                Draft d = drafts.get(i);
                Entry e = got.get(i);
                if (d.id() != null && ids.get(s).containsKey(d.id()) && !inBatch.containsKey(d.id())) {
                    assertSameEntry(ids.get(s).get(d.id()), e, true, "batch draft " + i + " with an existing id");
                } else if (d.id() != null && inBatch.containsKey(d.id())) {
                    assertSameEntry(inBatch.get(d.id()), e, true, "batch draft " + i + " repeating an id of the batch");
                } else {
                    expectNew(s, d, e);
                    if (d.id() != null) inBatch.put(d.id(), e);
                }
            }
        }

        /** Several appendAsync from this thread: one writer, a FIFO queue, so positions follow submission order. */
        private void appendBurst() {
            int n = 2 + rnd.nextInt(10);
            List<String> streams = new ArrayList<>();
            List<Draft> drafts = new ArrayList<>();
            List<CompletableFuture<Entry>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String s = appendStream();
                Draft d = randomDraft(rnd.nextInt(4) == 0);
                streams.add(s);
                drafts.add(d);
                fs.add(ledger.appendAsync(s, d));
            }
            note("appendBurst n=" + n + " " + streams);
            for (int i = 0; i < n; i++) expectNew(streams.get(i), drafts.get(i), fs.get(i).join());
        }

        /** Checks a new entry against the model's prediction, then adds it to the model. */
        private void expectNew(String s, Draft d, Entry e) {
            List<Entry> es = model.get(s);
            String c = "new entry " + TestSupport.describe(e);
            assertThat(e.stream()).as(c).isEqualTo(s);
            assertThat(e.seq()).as("seq of " + c).isEqualTo(es.size() + 1);
            assertThat(e.position()).as("position of " + c).isEqualTo(byPosition.size());
            assertThat(e.prevHash()).as("prev_hash of " + c).isEqualTo(es.isEmpty() ? Hash.ZERO : es.getLast().hash());
            if (d.id() != null) assertThat(e.id()).as("id of " + c).isEqualTo(d.id());
            else assertThat(e.id()).as("generated id of " + c).isNotEmpty().doesNotContain("\0");
            assertThat(ids.get(s)).as("id of " + c + " is new in its stream").doesNotContainKey(e.id());
            assertThat(e.key()).as("key of " + c).isEqualTo(d.key());
            assertThat(e.metadata()).as("metadata of " + c).isEqualTo(d.metadata());
            assertThat(Arrays.equals(e.payload(), d.payload())).as("payload of " + c).isTrue();
            assertThat(EntryHasher.hash(e)).as("hash of " + c).isEqualTo(e.hash());
            add(e);
        }

        private void add(Entry e) {
            model.get(e.stream()).add(e);
            ids.get(e.stream()).put(e.id(), e);
            byPosition.add(e);
        }

        private void appendToUnknownStreamCheckStreams() {
            // Reads of a stream never written are empty and do not create it.
            String s = "never/" + rnd.nextInt(3);
            note("read never-written " + s);
            assertThat(ledger.read(s, 0, 0, null)).isEmpty();
            assertThat(ledger.findById(s, "x")).isEmpty();
            assertThat(ledger.stream(s)).isEmpty();
            expectQuire(ErrorKind.NOT_FOUND, () -> ledger.snapshot(s, new ByteArrayOutputStream()));
        }

        // ------------------------------------------------------------------ reads

        private String anyStream() {
            int i = rnd.nextInt(STREAMS.length + MOVED.length);
            return i < STREAMS.length ? STREAMS[i] : MOVED[i - STREAMS.length];
        }

        private String randomFilter() {
            return switch (rnd.nextInt(4)) {
                case 0 -> null;
                case 1 -> "";
                default -> KEYS[1 + rnd.nextInt(KEYS.length - 1)];
            };
        }

        private void read() {
            String s = anyStream();
            List<Entry> es = model.get(s);
            long after = rnd.nextInt(es.size() + 3);
            int limit = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(40);
            String filter = randomFilter();
            note("read " + s + " after=" + after + " limit=" + limit + " key=" + filter);
            List<Entry> expected = expectedAfter(s, after, filter);
            int max = limit == 0 ? Limits.READ_LIMIT_MAX : limit;
            if (expected.size() > max) expected = expected.subList(0, max);
            assertSameEntries(expected, ledger.read(s, after, limit, filter), true, "read " + s + " after " + after);
        }

        private List<Entry> expectedAfter(String s, long after, String filter) {
            List<Entry> out = new ArrayList<>();
            for (Entry e : model.get(s)) {
                if (e.seq() <= after) continue;
                if (filter != null && !filter.isEmpty() && !filter.equals(e.key())) continue;
                out.add(e);
            }
            return out;
        }

        private void findById() {
            String s = anyStream();
            String id;
            int k = rnd.nextInt(10);
            if (k < 6 && !model.get(s).isEmpty()) id = model.get(s).get(rnd.nextInt(model.get(s).size())).id();
            else if (k < 8 && !byPosition.isEmpty()) id = byPosition.get(rnd.nextInt(byPosition.size())).id();
            else id = "unknown-" + rnd.nextInt(1000);
            note("findById " + s + " " + id);
            Optional<Entry> got = ledger.findById(s, id);
            Entry want = ids.get(s).get(id);
            if (want == null) assertThat(got).as("findById " + s + " " + id).isEmpty();
            else {
                assertThat(got).as("findById " + s + " " + id).isPresent();
                assertSameEntry(want, got.get(), true, "findById");
            }
        }

        // ------------------------------------------------------------------ watch

        private void startWatcher() throws Exception {
            if (watchers.size() >= 8) { closeWatcher(); return; }
            String s = rnd.nextInt(8) == 0 ? MOVED[rnd.nextInt(MOVED.length)] : anyStream();
            long last = model.get(s).size();
            long after = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> rnd.nextInt((int) last + 1);
                case 2 -> last;
                default -> last + 1 + rnd.nextInt(4);
            };
            String filter = randomFilter();
            note("watch " + s + " after=" + after + " key=" + filter);
            Watcher w = new Watcher(s, after, filter);
            w.watch = ledger.watch(s, after, filter, w);
            watchers.add(w);
        }

        private void catchUpWatchers() throws Exception {
            note("catch up " + watchers.size() + " watchers");
            for (Watcher w : watchers) w.awaitCaughtUp(expectedAfter(w.stream, w.after, w.filter));
        }

        private void closeWatcher() throws Exception {
            if (watchers.isEmpty()) return;
            Watcher w = watchers.remove(rnd.nextInt(watchers.size()));
            note("close watcher " + w.stream + " after=" + w.after);
            boolean caughtUp = rnd.nextBoolean();
            if (caughtUp) w.awaitCaughtUp(expectedAfter(w.stream, w.after, w.filter));
            w.watch.close();
            w.expectEnd(WatchEnd.Reason.CANCELLED);
            // Whatever it got is a prefix of what it should get (all of it when it had caught up).
            List<Entry> expected = expectedAfter(w.stream, w.after, w.filter);
            List<Entry> got = w.received();
            assertThat(got.size()).isLessThanOrEqualTo(expected.size());
            assertSameEntries(expected.subList(0, got.size()), got, true, "entries of a closed watcher");
            if (caughtUp) assertThat(got).hasSameSizeAs(expected);
        }

        // ------------------------------------------------------------------ snapshot and load

        private byte[] snapshot(String s) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ledger.snapshot(s, out);
            return out.toByteArray();
        }

        private void snapshotAndLoad() {
            String src = anyStream();
            List<Entry> srcEntries = List.copyOf(model.get(src));
            if (srcEntries.isEmpty()) {
                note("snapshot empty " + src);
                expectQuire(ErrorKind.NOT_FOUND, () -> snapshot(src));
                return;
            }
            byte[] bytes = snapshot(src);
            Snapshot decoded = SnapshotCodec.read(new ByteArrayInputStream(bytes));
            assertThat(decoded.stream()).isEqualTo(src);
            assertSameEntries(srcEntries, decoded.entries(), false, "snapshot of " + src);

            String target = rnd.nextInt(3) == 0 ? src : anyStream();
            boolean failIfExists = rnd.nextInt(5) == 0;
            List<Entry> incoming = target.equals(src) ? srcEntries : rechain(srcEntries, target);
            List<Entry> have = model.get(target);
            note("load " + src + "(" + srcEntries.size() + ") into " + target + "(" + have.size() + ") failIfExists=" + failIfExists);
            long sizeBefore = ledger.size();
            if (failIfExists && !have.isEmpty()) {
                QuireException q = expectQuire(ErrorKind.CONFLICT, () -> load(target, bytes, true));
                assertThat(q.code()).isEqualTo("already_exists");
                assertThat(ledger.size()).isEqualTo(sizeBefore);
                return;
            }
            int common = Math.min(have.size(), incoming.size());
            for (int i = 0; i < common; i++) {
                if (!have.get(i).hash().equals(incoming.get(i).hash())) {
                    QuireException q = expectQuire(ErrorKind.CONFLICT, () -> load(target, bytes, failIfExists));
                    assertThat(q.code()).isEqualTo("divergent_history");
                    assertThat(ledger.size()).as("size after a refused load").isEqualTo(sizeBefore);
                    return;
                }
            }
            LoadResult res = load(target, bytes, failIfExists);
            long restored = Math.max(0, incoming.size() - have.size());
            assertThat(res).isEqualTo(new LoadResult(restored, Math.max(have.size(), incoming.size())));
            for (int i = have.size(); i < incoming.size(); i++) add(incoming.get(i).withPosition(byPosition.size()));
            assertThat(ledger.size()).isEqualTo(byPosition.size());
            List<Entry> now = ledger.read(target, 0, 0, null);
            assertSameEntries(model.get(target), now, true, "stream " + target + " after load");
            assertChain(now, "stream " + target + " after load");
        }

        private LoadResult load(String target, byte[] bytes, boolean failIfExists) {
            return ledger.load(target, new ByteArrayInputStream(bytes), failIfExists);
        }

        /** DESIGN §3.3 moving a stream: same seq, id, key, timestamp, metadata and payload; new chain. */
        private static List<Entry> rechain(List<Entry> src, String target) {
            List<Entry> out = new ArrayList<>();
            Hash prev = Hash.ZERO;
            for (Entry e : src) {
                Entry m = new Entry(target, e.seq(), -1, e.id(), e.key(), e.timestampNs(), e.metadata(), e.payload(), prev, Hash.ZERO);
                m = m.withHash(EntryHasher.hash(m));
                out.add(m);
                prev = m.hash();
            }
            return out;
        }

        private void loadIntoEmptyLedger() {
            String src = anyStream();
            if (model.get(src).isEmpty()) return;
            List<Entry> srcEntries = List.copyOf(model.get(src));
            byte[] bytes = snapshot(src);
            Path other = dir.resolveSibling(dir.getFileName() + "-empty-" + (emptyLedgers++));
            note("load " + src + " into an empty ledger " + other.getFileName());
            Ledger.init(other);
            try (Ledger o = Ledger.open(other, LedgerOptions.defaults().withDurability(Durability.NONE))) {
                assertThat(o.load(src, new ByteArrayInputStream(bytes), true)).isEqualTo(new LoadResult(srcEntries.size(), srcEntries.size()));
                List<Entry> got = o.read(src, 0, 0, null);
                assertSameEntries(srcEntries, got, false, "exact restore into an empty ledger");
                for (Entry e : got) assertThat(e.position()).isEqualTo(e.seq() - 1);
                assertThat(o.size()).isEqualTo(srcEntries.size());
                assertThat(o.load(src, new ByteArrayInputStream(bytes), false)).isEqualTo(new LoadResult(0, srcEntries.size()));
                assertThat(o.size()).isEqualTo(srcEntries.size());
                assertThat(o.findById(src, srcEntries.getLast().id())).isPresent();
            }
        }

        // ------------------------------------------------------------------ reopen and whole-ledger checks

        private LedgerOptions randomOptions() {
            Durability d = switch (rnd.nextInt(7)) {
                case 0 -> Durability.SYNC;
                case 1, 2 -> new Durability.Interval(1 + rnd.nextInt(20));
                default -> Durability.NONE;
            };
            long seg = Limits.SEGMENT_BYTES_MIN + (rnd.nextBoolean() ? 0 : rnd.nextInt(1 << 24));
            return LedgerOptions.defaults().withDurability(d).withSegmentBytes(seg);
        }

        private void reopen() throws Exception {
            catchUpWatchers();
            LedgerOptions o = randomOptions();
            note("reopen with " + o.durability() + " segment=" + o.segmentBytes());
            ledger.close();
            for (Watcher w : watchers) w.expectEnd(WatchEnd.Reason.LEDGER_CLOSED);
            watchers.clear();
            expectQuire(ErrorKind.IO, () -> ledger.append(STREAMS[0], Draft.of("after close")));
            ledger = Ledger.open(dir, o);
            assertThat(ledger.recovery().cleanShutdown()).as("clean shutdown").isTrue();
            checkAll(true);
        }

        /** Heads and size: cheap, after every operation. */
        private void checkHeads() {
            assertThat(ledger.size()).as("size").isEqualTo(byPosition.size());
            List<StreamInfo> infos = ledger.streams();
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, List<Entry>> m : model.entrySet()) if (!m.getValue().isEmpty()) names.add(m.getKey());
            Collections.sort(names);
            assertThat(infos).extracting(StreamInfo::name).as("streams()").containsExactlyElementsOf(names);
            for (StreamInfo i : infos) {
                Entry last = model.get(i.name()).getLast();
                assertThat(i.lastSeq()).as("lastSeq of " + i.name()).isEqualTo(last.seq());
                assertThat(i.lastHash()).as("lastHash of " + i.name()).isEqualTo(last.hash());
                assertThat(i.lastPosition()).as("lastPosition of " + i.name()).isEqualTo(last.position());
                assertThat(ledger.stream(i.name())).contains(i);
            }
        }

        private void checkAll(boolean everyPosition) {
            checkHeads();
            for (Map.Entry<String, List<Entry>> m : model.entrySet()) {
                List<Entry> got = ledger.read(m.getKey(), 0, 0, null);
                assertSameEntries(m.getValue(), got, true, "whole stream " + m.getKey());
                assertChain(got, "whole stream " + m.getKey());
            }
            if (everyPosition) {
                for (Entry e : byPosition) assertSameEntry(e, ledger.readPosition(e.position()), true, "readPosition");
            }
            expectQuire(ErrorKind.NOT_FOUND, () -> ledger.readPosition(byPosition.size()));
        }
    }

    /** Records what a watch delivers; ends are handed over through a future. */
    private static final class Watcher implements WatchListener {
        final String stream;
        final long after;
        final String filter;
        final List<Entry> got = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<WatchEnd> end = new CompletableFuture<>();
        volatile int onEndCalls;
        volatile boolean entryAfterEnd;
        Watch watch;

        Watcher(String stream, long after, String filter) {
            this.stream = stream;
            this.after = after;
            this.filter = filter;
        }

        @Override
        public void onEntry(Entry entry) {
            if (end.isDone()) entryAfterEnd = true;
            got.add(entry);
        }

        @Override
        public void onEnd(WatchEnd e) {
            onEndCalls++;
            end.complete(e);
        }

        List<Entry> received() {
            synchronized (got) { return new ArrayList<>(got); }
        }

        void awaitCaughtUp(List<Entry> expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MS);
            while (got.size() < expected.size() && !end.isDone() && System.nanoTime() < deadline) Thread.sleep(2);
            assertThat(end.isDone()).as("watcher of " + stream + " ended early: " + end.getNow(null)).isFalse();
            assertSameEntries(expected, received(), true, "watcher of " + stream + " after " + after + " key " + filter);
        }

        void expectEnd(WatchEnd.Reason reason) throws Exception {
            WatchEnd e;
            try {
                e = end.get(CATCH_UP_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException t) {
                fail("watcher of " + stream + " did not end (expected " + reason + ")");
                return;
            }
            assertThat(e.reason()).as("end of watcher of " + stream + ": " + e).isEqualTo(reason);
            List<Entry> r = received();
            long lastSeq = r.isEmpty() ? after : r.getLast().seq();
            assertThat(e.lastSeq()).as("lastSeq at end of watcher of " + stream).isEqualTo(lastSeq);
            assertThat(watch.lastDeliveredSeq()).isEqualTo(lastSeq);
            assertThat(watch.awaitEnd()).isEqualTo(e);
            assertThat(onEndCalls).as("onEnd calls").isEqualTo(1);
            assertThat(entryAfterEnd).as("entry delivered after onEnd").isFalse();
        }
    }
}
