package io.quire.windows.regions;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.calendar.MinuteLookup;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.SlotKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.quire.windows.slots.SlotKind.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Region lifecycle, ordering, expansion, completion and retirement, persistence, sharing between stores, validation, limits, damage. */
class PriorityRegionStoreTest {
    static final TradingCalendar CAL = TradingCalendar.nyse(2025);
    static final Map<String, Integer> IDS = Map.of("AAPL", 1, "MSFT", 2, "SPY", 3);
    static final Function<String, OptionalInt> RESOLVER = s -> IDS.containsKey(s) ? OptionalInt.of(IDS.get(s)) : OptionalInt.empty();
    static final Set<SlotKind> TRADE = EnumSet.of(TRADE_REF);
    static final MinutePredicate NONE = (s, m) -> false;

    @TempDir Path dir;
    final AtomicLong now = new AtomicLong(Instant.parse("2025-06-01T00:00:00Z").getEpochSecond());

    /** A clock that ticks one second per read, so creation order is visible. */
    Clock clock() {
        return new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId z) { return this; }
            @Override public Instant instant() { return Instant.ofEpochSecond(now.getAndIncrement()); }
        };
    }

    PriorityRegionStore open() { return PriorityRegionStore.open(dir, CAL, RESOLVER, clock()); }

    /** New York wall time → instant. */
    static Instant ny(String localDateTime) { return LocalDateTime.parse(localDateTime).atZone(TradingCalendar.NEW_YORK).toInstant(); }

    static int idx(String localDateTime) { return ((MinuteLookup.MarketMinute) CAL.minuteIdx(ny(localDateTime))).minuteIdx(); }

    @Test
    void shouldOrderOverlappingRegionsAndExpandOnlyMarketMinutes() {
        PriorityRegionStore s = open();
        PriorityRegion a = s.add("AAPL", ny("2025-03-07T15:55"), ny("2025-03-07T16:05"), 5, TRADE, "alice@tui"); // 15:55..15:59
        PriorityRegion b = s.add("AAPL", ny("2025-03-07T15:57:10"), ny("2025-03-07T15:59:30"), 9, TRADE, "bob@cli"); // 15:57..15:59
        PriorityRegion c = s.add("MSFT", ny("2025-03-07T09:30"), ny("2025-03-07T09:32"), 5, TRADE, "alice@tui");
        assertThat(s.list()).extracting(PriorityRegion::id).containsExactly(b.id(), a.id(), c.id()); // 9 first; then 5s, older first
        assertThat(s.span(a).minutes()).isEqualTo(5);
        assertThat(s.span(b)).isEqualTo(new MinuteSpans.Span(idx("2025-03-07T15:57"), idx("2025-03-07T15:59") + 1));

        WorkBatch w = s.nextWork(TRADE_REF, 100, NONE);
        assertThat(w.items()).extracting(i -> i.regionId() + ":" + i.symbolId() + ":" + (i.minuteIdx() - idx("2025-03-07T15:55")))
                .containsExactly(b.id() + ":1:2", b.id() + ":1:3", b.id() + ":1:4", a.id() + ":1:0", a.id() + ":1:1",
                        c.id() + ":2:" + (idx("2025-03-07T09:30") - idx("2025-03-07T15:55")), c.id() + ":2:" + (idx("2025-03-07T09:31") - idx("2025-03-07T15:55")));
        assertThat(w.retiredRegionIds()).isEmpty();
        assertThat(s.nextWork(TRADE_REF, 2, NONE).items()).extracting(WorkItem::priority).containsExactly(9, 9);
        assertThat(s.nextWork(QUOTE_REF, 10, NONE).items()).isEmpty(); // no region targets quote_ref
        assertThat(s.backlog(TRADE_REF)).isEqualTo(5 + 3 + 2);
    }

    @Test
    void shouldSpanWeekendsHolidaysAndEarlyClosesAndAcceptAnEmptyRegion() {
        PriorityRegionStore s = open();
        // Fri 2025-11-28 (13:00 early close) 12:58 → Mon 12-01 09:32: 2 + 2 minutes.
        PriorityRegion r = s.add("SPY", ny("2025-11-28T12:58"), ny("2025-12-01T09:32"), 3, TRADE, "ops");
        assertThat(s.span(r).minutes()).isEqualTo(4);
        // Thanksgiving and a Saturday: valid, no minutes, retired on the first poll.
        PriorityRegion holiday = s.add("SPY", ny("2025-11-27T09:30"), ny("2025-11-27T16:00"), 3, TRADE, "ops");
        PriorityRegion weekend = s.add("SPY", ny("2025-11-29T00:00"), ny("2025-11-30T23:59"), 3, TRADE, "ops");
        assertThat(s.span(holiday).isEmpty()).isTrue();
        WorkBatch w = s.nextWork(TRADE_REF, 100, NONE);
        assertThat(w.items()).hasSize(4);
        assertThat(w.retiredRegionIds()).containsExactlyInAnyOrder(holiday.id(), weekend.id());
        assertThat(s.list()).extracting(PriorityRegion::id).containsExactly(r.id());
        assertThat(s.retiredTotal()).isEqualTo(2);
    }

    @Test
    void shouldRetireARegionWhenEveryMinuteIsHealthyForItsColumn() {
        PriorityRegionStore s = open();
        List<PriorityRegion> told = new java.util.ArrayList<>();
        s.onRetired(x -> {
            assertThat(open().list()).as("told after the file no longer holds it").extracting(PriorityRegion::id).doesNotContain(x.id());
            told.add(x);
        });
        PriorityRegion r = s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:05"), 5, TRADE, "ops");
        int first = idx("2025-03-07T10:00");
        Set<Integer> healthy = new HashSet<>();
        MinutePredicate h = (sym, m) -> healthy.contains(m);
        healthy.add(first + 1);
        assertThat(s.nextWork(TRADE_REF, 10, h).items()).extracting(WorkItem::minuteIdx).containsExactly(first, first + 2, first + 3, first + 4);
        assertThat(s.markDone(TRADE_REF, 1, first)).isEmpty();
        assertThat(s.markDone(TRADE_REF, 2, first + 2)).isEmpty(); // another symbol: not this region's
        assertThat(s.markDone(AGGRESSOR_REF, 1, first + 2)).isEmpty(); // another column: not targeted
        assertThat(s.nextWork(TRADE_REF, 10, h).items()).extracting(WorkItem::minuteIdx).containsExactly(first + 2, first + 3, first + 4);
        assertThat(s.markDone(TRADE_REF, 1, first + 2)).isEmpty();
        assertThat(s.markDone(TRADE_REF, 1, first + 3)).isEmpty();
        assertThat(s.backlog(TRADE_REF)).isEqualTo(1);
        assertThat(told).isEmpty();
        assertThat(s.markDone(TRADE_REF, 1, first + 4)).containsExactly(r.id()); // the last minute retires it
        assertThat(told).extracting(PriorityRegion::id).containsExactly(r.id());
        assertThat(told.getFirst().symbol()).isEqualTo("AAPL");
        assertThat(s.list()).isEmpty();
        assertThat(s.retiredTotal()).isEqualTo(1);
        assertThat(s.nextWork(TRADE_REF, 10, NONE).isEmpty()).isTrue();
        // Health alone (a restart: no markDone memory) retires a region too.
        PriorityRegion r2 = s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:05"), 5, TRADE, "ops");
        assertThat(s.nextWork(TRADE_REF, 10, (sym, m) -> true).retiredRegionIds()).containsExactly(r2.id());
        assertThat(told).extracting(PriorityRegion::id).containsExactly(r.id(), r2.id());
    }

    @Test
    void shouldRetireAnAllColumnsRegionOnlyWhenEveryColumnIsHealthy() {
        PriorityRegionStore s = open();
        PriorityRegion r = s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:02"), 5, PriorityRegion.ALL_COLUMNS, "ops");
        SlotKind[] all = SlotKind.values();
        for (int k = 0; k < all.length - 1; k++) {
            assertThat(s.nextWork(all[k], 10, (sym, m) -> true).retiredRegionIds()).isEmpty();
            assertThat(s.list().getFirst().doneColumns()).hasSize(k + 1);
        }
        assertThat(open().list().getFirst().doneColumns()).hasSize(all.length - 1); // done columns are persisted
        assertThat(s.nextWork(all[all.length - 1], 10, NONE).items()).hasSize(2);
        assertThat(s.nextWork(all[all.length - 1], 10, (sym, m) -> true).retiredRegionIds()).containsExactly(r.id());
    }

    @Test
    void shouldPersistAcrossReopenAndRemove() {
        PriorityRegionStore s = open();
        PriorityRegion a = s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T11:00"), 7, TRADE, "alice@tui");
        PriorityRegion b = s.add("MSFT", ny("2025-03-07T10:00"), ny("2025-03-07T11:00"), 8, EnumSet.of(GREEKS_REF, AGGS_1M), "bob");
        PriorityRegionStore again = open();
        assertThat(again.list()).containsExactly(b, a);
        assertThat(again.remove(a.id())).isEqualTo(a);
        assertThatThrownBy(() -> again.remove(a.id())).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.code()).isEqualTo("region_unknown");
        });
        PriorityRegion c = open().add("SPY", ny("2025-03-07T10:00"), ny("2025-03-07T11:00"), 1, TRADE, "carol");
        assertThat(c.id()).isEqualTo(3); // ids are never reused
        assertThat(open().list()).containsExactly(b, c);
    }

    @Test
    void shouldSeeAnotherStoresChangesOnThePoll() {
        PriorityRegionStore worker = open(), tui = open();
        assertThat(worker.nextWork(TRADE_REF, 10, NONE).isEmpty()).isTrue();
        PriorityRegion r = tui.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:03"), 5, TRADE, "tui");
        assertThat(worker.nextWork(TRADE_REF, 10, NONE).items()).hasSize(3).allMatch(i -> i.regionId() == r.id());
        PriorityRegion r2 = worker.add("MSFT", ny("2025-03-07T10:00"), ny("2025-03-07T10:01"), 6, TRADE, "cli");
        assertThat(tui.list()).extracting(PriorityRegion::id).containsExactly(r2.id(), r.id()); // neither lost the other's
        tui.remove(r.id());
        assertThat(worker.refresh()).isTrue();
        assertThat(worker.refresh()).isFalse();
        assertThat(worker.nextWork(TRADE_REF, 10, NONE).items()).extracting(WorkItem::regionId).containsOnly(r2.id());
    }

    @Test
    void shouldLoseNoAdditionWhenTwoStoresAddConcurrently() throws Exception {
        // Invariants checked: every add returns a distinct id and every region is in the file afterwards.
        int perThread = 25;
        PriorityRegionStore[] stores = {open(), open()};
        CyclicBarrier start = new CyclicBarrier(2);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            PriorityRegionStore st = stores[t];
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) ids.add(st.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:01"), 1 + i, TRADE, "t").id());
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : ts) t.join();
        assertThat(failures).isEmpty();
        assertThat(new HashSet<>(ids)).hasSize(2 * perThread);
        assertThat(open().list()).hasSize(2 * perThread);
    }

    @Test
    void shouldRefuseBadInputAndWriteNothing() {
        PriorityRegionStore s = open();
        Instant a = ny("2025-03-07T10:00"), b = ny("2025-03-07T11:00");
        record Case(String code, Runnable call) {}
        List<Case> cases = List.of(
                new Case("symbol_unknown", () -> s.add("NOPE", a, b, 5, TRADE, "ops")),
                new Case("symbol_invalid", () -> s.add("A B", a, b, 5, TRADE, "ops")),
                new Case("symbol_invalid", () -> s.add("", a, b, 5, TRADE, "ops")),
                new Case("region_invalid", () -> s.add("AAPL", b, a, 5, TRADE, "ops")),
                new Case("region_invalid", () -> s.add("AAPL", a, a, 5, TRADE, "ops")),
                new Case("region_invalid", () -> s.add("AAPL", a, b, 0, TRADE, "ops")),
                new Case("region_invalid", () -> s.add("AAPL", a, b, 1001, TRADE, "ops")),
                new Case("region_invalid", () -> s.add("AAPL", a, b, 5, Set.of(), "ops")),
                new Case("region_invalid", () -> s.add("AAPL", a, b, 5, TRADE, "")),
                new Case("region_invalid", () -> s.add("AAPL", a, b, 5, TRADE, "x".repeat(65))),
                new Case("region_invalid", () -> s.add("AAPL", a, b, 5, TRADE, "bad\nname")),
                new Case("region_invalid", () -> s.add("AAPL", ny("2024-12-31T10:00"), b, 5, TRADE, "ops")),
                new Case("region_invalid", () -> s.add("AAPL", a, ny("2026-01-02T10:00"), 5, TRADE, "ops")),
                new Case("work_limit", () -> s.nextWork(TRADE_REF, 0, NONE)),
                new Case("work_limit", () -> s.nextWork(TRADE_REF, RegionLimits.WORK_ITEMS_MAX + 1, NONE)),
                new Case("minute_invalid", () -> s.markDone(TRADE_REF, 1, CAL.totalMinutes())));
        for (Case c : cases) {
            assertThatThrownBy(c.call()::run).as(c.code()).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                assertThat(e.code()).isEqualTo(c.code());
            });
        }
        assertThat(Files.exists(s.file())).isFalse();
        assertThat(s.nextWork(TRADE_REF, RegionLimits.WORK_ITEMS_MAX, NONE).isEmpty()).isTrue();
        // Edges that are fine: whole year, priorities at both ends.
        s.add("AAPL", a, b, RegionLimits.PRIORITY_MIN, TRADE, "ops");
        s.add("AAPL", a, b, RegionLimits.PRIORITY_MAX, TRADE, "x".repeat(RegionLimits.CREATOR_BYTES_MAX));
        s.add("AAPL", ny("2025-01-01T00:00"), ny("2025-01-03T00:00"), 5, TRADE, "ops");
    }

    @Test
    void shouldHonourMinutesPerRegionAtMaxAndMaxPlusOne() {
        PriorityRegionStore s = open();
        int max = RegionLimits.MINUTES_PER_REGION_MAX;
        PriorityRegion r = s.add("AAPL", CAL.minuteStart(0), CAL.minuteStart(max), 5, TRADE, "ops");
        assertThat(s.span(r).minutes()).isEqualTo(max);
        assertThat(s.nextWork(TRADE_REF, RegionLimits.WORK_ITEMS_MAX, NONE).items()).hasSize(max);
        assertThatThrownBy(() -> s.add("AAPL", CAL.minuteStart(0), CAL.minuteStart(max + 1), 5, TRADE, "ops"))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.code()).isEqualTo("region_too_large");
                    assertThat(e.getMessage()).contains(Integer.toString(max + 1)).contains("split");
                });
        assertThat(s.list()).hasSize(1);
    }

    @Test
    void shouldHonourRegionsPerYearAtMaxAndMaxPlusOne() throws Exception {
        // Seed the file with max - 1 regions directly, then cross the cap through the API.
        List<PriorityRegion> rs = new ArrayList<>();
        for (int i = 1; i < RegionLimits.REGIONS_PER_YEAR_MAX; i++) {
            rs.add(new PriorityRegion(i, "AAPL", 1, ny("2025-03-07T10:00"), ny("2025-03-07T10:01"), 1, TRADE, Set.of(), Instant.ofEpochSecond(i), "seed"));
        }
        Path f = PriorityRegionStore.fileIn(dir, 2025);
        Files.createDirectories(f.getParent());
        Files.write(f, RegionFile.encode(new RegionFile.State(2025, 1, RegionLimits.REGIONS_PER_YEAR_MAX, 0, rs)));
        PriorityRegionStore s = open();
        s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:01"), 1, TRADE, "ops"); // the max-th
        assertThat(s.list()).hasSize(RegionLimits.REGIONS_PER_YEAR_MAX);
        assertThatThrownBy(() -> s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:01"), 1, TRADE, "ops"))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.code()).isEqualTo("region_cap");
                });
        assertThat(open().list()).hasSize(RegionLimits.REGIONS_PER_YEAR_MAX);
        // A full file is within FILE_BYTES_MAX even at the longest texts.
        assertThat(Files.size(f)).isLessThanOrEqualTo(RegionLimits.FILE_BYTES_MAX);
    }

    @Test
    void shouldRejectEverySingleBitFlipOfTheFile() throws Exception {
        PriorityRegionStore s = open();
        s.add("AAPL", ny("2025-03-07T10:00"), ny("2025-03-07T10:01"), 5, TRADE, "ops");
        Path f = s.file();
        byte[] good = Files.readAllBytes(f);
        assertThat(RegionFile.decode(good, 2025, "f")).isEqualTo(RegionFile.decode(RegionFile.encode(RegionFile.decode(good, 2025, "f")), 2025, "f"));
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            assertThatThrownBy(() -> RegionFile.decode(bad, 2025, "f")).as("bit " + at)
                    .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
        }
        byte[] bad = good.clone();
        bad[20] ^= 1;
        Files.write(f, bad);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.getMessage()).contains(f.toString()).contains("checksum");
        });
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(this::open).isInstanceOf(QuireException.class);
        Files.write(f, good);
        assertThat(open().list()).hasSize(1);
    }
}
