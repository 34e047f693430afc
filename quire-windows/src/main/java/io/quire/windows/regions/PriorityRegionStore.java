package io.quire.windows.regions;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.log.FileUtil;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.SlotKind;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shared table of priority regions of one year, in {@code <ledger>/windows/<year>/regions}
 * ({@link RegionFile} owns the bytes).
 *
 * <p><b>Processes.</b> Every change is a read-modify-write under an exclusive lock: a JVM-wide
 * {@link ReentrantLock} per file (two {@code FileChannel} locks of one process on one file would
 * throw {@code OverlappingFileLockException}, and POSIX locks are per process anyway), then a
 * {@link FileLock} on the sibling {@code regions.lock} (not on {@code regions} itself: the atomic
 * rename replaces that inode). The change is made to the state just read, never to a cached copy,
 * so two stores (TUI, CLI, workers) never lose each other's additions. Readers take no lock: the
 * file is always whole. {@link #refresh()} re-reads the file when its identity (inode, mtime,
 * size) changed; {@link #list()} and {@link #nextWork} call it, so a running worker sees a region
 * another process added on its next poll, at the cost of one {@code stat}.
 *
 * <p><b>Completion.</b> A region targets a set of columns: one column, or
 * {@link PriorityRegion#ALL_COLUMNS}. Per column, a minute is done when the worker's health
 * predicate says so or the worker calls {@link #markDone}; that per-minute progress is an
 * in-memory cache of this store (a restart re-asks the predicate; the slot matrix is the truth).
 * When every minute of a region is done for a column, the column is recorded as done in the file;
 * when every targeted column is done, the region is retired (removed, {@code retired_total}+1).
 * A region with no market minute (a weekend) is valid and retires on its first poll per column.
 *
 * <p>Thread-safe: methods are synchronized on the store (the work is small and bounded).
 */
public final class PriorityRegionStore {
    /** File name inside {@code <ledger>/windows/<year>/}. */
    public static final String FILE_NAME = "regions";
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final TradingCalendar calendar;
    private final Function<String, OptionalInt> resolver;
    private final Clock clock;
    private final Instant yearStart, yearEnd;

    private RegionFile.State state;
    private Object signature; // identity of the file the state was read from, or null if absent
    /** Per (region id, column): minutes known done, by offset in the region's span. */
    private final Map<Long, Map<SlotKind, Progress>> progress = new HashMap<>();
    private Consumer<PriorityRegion> onRetired = r -> {};

    private static final class Progress {
        final BitSet done;
        final int minutes;
        int count;

        Progress(int minutes) {
            this.minutes = minutes;
            this.done = new BitSet(minutes);
        }

        boolean set(int i) {
            if (!done.get(i)) {
                done.set(i);
                count++;
            }
            return count == minutes;
        }
    }

    private PriorityRegionStore(Path file, TradingCalendar calendar, Function<String, OptionalInt> resolver, Clock clock) {
        this.file = file;
        this.lockFile = file.resolveSibling(FILE_NAME + ".lock");
        this.calendar = calendar;
        this.resolver = resolver;
        this.clock = clock;
        int y = calendar.year();
        this.yearStart = LocalDate.of(y, 1, 1).atStartOfDay(TradingCalendar.NEW_YORK).toInstant();
        this.yearEnd = LocalDate.of(y + 1, 1, 1).atStartOfDay(TradingCalendar.NEW_YORK).toInstant();
    }

    /** {@code <ledgerDir>/windows/<year>/regions}. */
    public static Path fileIn(Path ledgerDir, int year) { return ledgerDir.resolve("windows").resolve(Integer.toString(year)).resolve(FILE_NAME); }

    /**
     * Opens (does not create) the store of {@code calendar}'s year. A missing file is an empty
     * store; the file is created by the first {@link #add}.
     *
     * @param resolver symbol text → symbol id, empty when unknown (e.g. {@code SymbolMap::idOf}, or
     *                 {@code s -> OptionalInt.of(map.resolve(s))} to allocate)
     */
    public static PriorityRegionStore open(Path ledgerDir, TradingCalendar calendar, Function<String, OptionalInt> resolver, Clock clock) {
        PriorityRegionStore s = new PriorityRegionStore(fileIn(ledgerDir, calendar.year()), Objects.requireNonNull(calendar),
                Objects.requireNonNull(resolver), Objects.requireNonNull(clock));
        s.refresh();
        return s;
    }

    public Path file() { return file; }

    public TradingCalendar calendar() { return calendar; }

    /** Re-reads the file if another store changed it; true when the state changed. */
    public synchronized boolean refresh() {
        Object sig = signatureOf();
        if (state != null && Objects.equals(sig, signature)) return false;
        RegionFile.State s = read();
        boolean changed = state == null || s.generation() != state.generation() || !s.regions().equals(state.regions());
        adopt(s, sig);
        return changed;
    }

    /** The active regions in work order (priority high first, then older first). */
    public synchronized List<PriorityRegion> list() {
        refresh();
        return state.regions().stream().sorted(PriorityRegion.ORDER).toList();
    }

    /** Regions retired automatically since the file was created. */
    public synchronized long retiredTotal() {
        refresh();
        return state.retiredTotal();
    }

    /**
     * Adds a region. Everything is checked before anything is written: INVALID_INPUT for an
     * empty column set, a priority outside {@link RegionLimits#PRIORITY_MIN}..{@link RegionLimits#PRIORITY_MAX},
     * {@code start >= end}, an instant outside the store's year (New York time), an unknown
     * symbol, a bad creator, more than {@link RegionLimits#MINUTES_PER_REGION_MAX} market minutes;
     * CONFLICT {@code region_cap} when {@link RegionLimits#REGIONS_PER_YEAR_MAX} regions are active.
     */
    public synchronized PriorityRegion add(String symbol, Instant startTs, Instant endTs, int priority, Set<SlotKind> columns, String creator) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(startTs, "startTs");
        Objects.requireNonNull(endTs, "endTs");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(creator, "creator");
        if (columns.isEmpty()) throw invalid("a region must target at least one column (or all columns)", "region_invalid");
        if (priority < RegionLimits.PRIORITY_MIN || priority > RegionLimits.PRIORITY_MAX) {
            throw invalid("priority " + priority + " is outside " + RegionLimits.PRIORITY_MIN + ".." + RegionLimits.PRIORITY_MAX
                    + " (higher is sooner; " + RegionLimits.PRIORITY_DEFAULT + " is the default queue)", "region_invalid");
        }
        if (!startTs.isBefore(endTs)) throw invalid("region start " + startTs + " is not before its end " + endTs, "region_invalid");
        if (startTs.isBefore(yearStart) || endTs.isAfter(yearEnd)) {
            throw invalid("region " + startTs + " .. " + endTs + " is not inside " + calendar.year() + " (New York time); the store of a year holds "
                    + "regions of that year only — split it at the year boundary", "region_invalid");
        }
        checkCreator(creator);
        if (symbol.isEmpty() || symbol.length() > 64 || !symbol.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw invalid("symbol must be 1..64 printable ASCII characters without spaces", "symbol_invalid");
        }
        OptionalInt id = resolver.apply(symbol);
        if (id == null || id.isEmpty()) throw invalid("unknown symbol " + symbol + " (not in the symbol map of " + calendar.year() + ")", "symbol_unknown");
        if (id.getAsInt() < 0 || id.getAsInt() > 0xFFFF) throw new IllegalStateException("bad math in resolver: symbol id " + id.getAsInt());
        MinuteSpans.Span span = MinuteSpans.span(calendar, startTs, endTs);
        if (span.minutes() > RegionLimits.MINUTES_PER_REGION_MAX) {
            throw invalid("region " + startTs + " .. " + endTs + " covers " + span.minutes() + " market minutes, over the limit of "
                    + RegionLimits.MINUTES_PER_REGION_MAX + " (MINUTES_PER_REGION_MAX); split it", "region_too_large");
        }
        return mutate(s -> {
            if (s.regions().size() >= RegionLimits.REGIONS_PER_YEAR_MAX) {
                throw new QuireException(ErrorKind.CONFLICT, "the region store of " + calendar.year() + " already holds "
                        + RegionLimits.REGIONS_PER_YEAR_MAX + " active regions (REGIONS_PER_YEAR_MAX); remove some or wait for them to retire",
                        Where.file(file.toString(), -1)).withCode("region_cap");
            }
            PriorityRegion r = new PriorityRegion(s.nextId(), symbol, id.getAsInt(), startTs, endTs, priority, columns, Set.of(),
                    clock.instant(), creator);
            List<PriorityRegion> rs = new ArrayList<>(s.regions());
            rs.add(r);
            return new Result<>(new RegionFile.State(s.year(), s.generation() + 1, s.nextId() + 1, s.retiredTotal(), rs), r);
        });
    }

    /** Removes a region; NOT_FOUND (code {@code region_unknown}) if no active region has that id. */
    public synchronized PriorityRegion remove(long regionId) {
        return mutate(s -> {
            List<PriorityRegion> rs = new ArrayList<>(s.regions());
            for (int i = 0; i < rs.size(); i++) {
                if (rs.get(i).id() == regionId) {
                    PriorityRegion r = rs.remove(i);
                    return new Result<>(new RegionFile.State(s.year(), s.generation() + 1, s.nextId(), s.retiredTotal(), rs), r);
                }
            }
            throw new QuireException(ErrorKind.NOT_FOUND, "no active region " + regionId + " in " + calendar.year()
                    + " (it may have retired; see `quire region list`)", Where.file(file.toString(), -1)).withCode("region_unknown");
        });
    }

    /** The market minutes of a region (those starting in {@code [floor_to_minute(start), end)}). */
    public MinuteSpans.Span span(PriorityRegion r) { return MinuteSpans.span(calendar, r.startTs(), r.endTs()); }

    /**
     * Up to {@code n} minutes for a worker of {@code column} to do before its default queue:
     * regions open for the column in work order, each expanded in minute order, minutes that are
     * done or {@code isHealthy} skipped, each (symbol, minute) at most once. Regions found with no
     * minute left are marked done for the column (and retired when complete) before returning.
     * Calling again before the items are healthy returns them again: a worker polls, works its
     * batch, marks done, polls.
     */
    public synchronized WorkBatch nextWork(SlotKind column, int n, MinutePredicate isHealthy) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(isHealthy, "isHealthy");
        if (n < 1 || n > RegionLimits.WORK_ITEMS_MAX) throw invalid("n = " + n + " is outside 1.." + RegionLimits.WORK_ITEMS_MAX, "work_limit");
        refresh();
        List<WorkItem> items = new ArrayList<>(Math.min(n, 1024));
        Set<Long> seen = new HashSet<>();
        List<Long> complete = new ArrayList<>();
        for (PriorityRegion r : state.regions().stream().sorted(PriorityRegion.ORDER).toList()) {
            if (items.size() >= n) break;
            if (!r.openFor(column)) continue;
            MinuteSpans.Span sp = span(r);
            Progress p = progress(r, column, sp);
            boolean open = false;
            for (int m = sp.fromMinuteIdx(); m < sp.toMinuteIdx(); m++) {
                int i = m - sp.fromMinuteIdx();
                if (p.done.get(i)) continue;
                if (isHealthy.test(r.symbolId(), m)) {
                    p.set(i);
                    continue;
                }
                open = true;
                if (items.size() >= n) break;
                if (seen.add(((long) r.symbolId() << 32) | m)) items.add(new WorkItem(r.id(), r.priority(), r.symbolId(), m));
            }
            if (!open) complete.add(r.id());
        }
        return new WorkBatch(items, complete.isEmpty() ? List.of() : completeColumn(column, complete));
    }

    /**
     * Records that the worker of {@code column} finished {@code (symbolId, minuteIdx)} (slot
     * filled, checksum verified), in every open region that holds it. Returns the regions this
     * retired.
     */
    public synchronized List<Long> markDone(SlotKind column, int symbolId, int minuteIdx) {
        Objects.requireNonNull(column, "column");
        if (minuteIdx < 0 || minuteIdx >= calendar.totalMinutes()) {
            throw invalid("minute_idx " + minuteIdx + " is outside 0.." + (calendar.totalMinutes() - 1), "minute_invalid");
        }
        refresh();
        List<Long> complete = new ArrayList<>();
        for (PriorityRegion r : state.regions()) {
            if (r.symbolId() != symbolId || !r.openFor(column)) continue;
            MinuteSpans.Span sp = span(r);
            if (!sp.contains(minuteIdx)) continue;
            if (progress(r, column, sp).set(minuteIdx - sp.fromMinuteIdx())) complete.add(r.id());
        }
        return complete.isEmpty() ? List.of() : completeColumn(column, complete);
    }

    /** Minutes of {@code column} still to check across its open regions (the region backlog metric), counting known-done ones out. */
    public synchronized long backlog(SlotKind column) {
        refresh();
        long total = 0;
        for (PriorityRegion r : state.regions()) {
            if (!r.openFor(column)) continue;
            MinuteSpans.Span sp = span(r);
            total += sp.minutes() - progress(r, column, sp).count;
        }
        return total;
    }

    // ---- internals ------------------------------------------------------------------------

    private List<Long> completeColumn(SlotKind column, List<Long> ids) {
        List<PriorityRegion> gone = mutate(s -> {
            List<PriorityRegion> rs = new ArrayList<>();
            List<PriorityRegion> retired = new ArrayList<>();
            boolean changed = false;
            for (PriorityRegion r : s.regions()) {
                if (ids.contains(r.id()) && r.openFor(column)) {
                    changed = true;
                    PriorityRegion d = r.withDone(column);
                    if (d.complete()) {
                        retired.add(d);
                        continue;
                    }
                    rs.add(d);
                } else {
                    rs.add(r);
                }
            }
            if (!changed) return new Result<>(null, List.<PriorityRegion>of());
            return new Result<>(new RegionFile.State(s.year(), s.generation() + 1, s.nextId(), s.retiredTotal() + retired.size(), rs), List.copyOf(retired));
        });
        // Told only once the file no longer holds them (mutate wrote it), and only in the process that retired them.
        for (PriorityRegion r : gone) onRetired.accept(r);
        return gone.stream().map(PriorityRegion::id).toList();
    }

    /**
     * Sets who hears of each region this store retires, after the retirement is on disk (the
     * runner records it in the audit trail as {@code region_retired}). At most once: a process
     * killed between the file's rename and the listener leaves the region retired with no record
     * (the other order would record retirements that then failed to be written). A failing
     * listener does not undo the retirement; its exception reaches the worker that completed it.
     */
    public synchronized void onRetired(Consumer<PriorityRegion> listener) { this.onRetired = Objects.requireNonNull(listener, "listener"); }

    private Progress progress(PriorityRegion r, SlotKind column, MinuteSpans.Span sp) {
        return progress.computeIfAbsent(r.id(), k -> new HashMap<>()).computeIfAbsent(column, k -> new Progress(sp.minutes()));
    }

    private record Result<T>(RegionFile.State next, T value) {}

    /** Read-modify-write under the JVM lock and the file lock; {@code next == null} writes nothing. */
    private <T> T mutate(Function<RegionFile.State, Result<T>> change) {
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
        jvm.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Object sig = signatureOf();
                RegionFile.State current = read();
                Result<T> r = change.apply(current);
                if (r.next() == null) {
                    adopt(current, sig);
                    return r.value();
                }
                byte[] bytes = RegionFile.encode(r.next());
                // Pair assertion: what goes to disk decodes to what was meant.
                if (!RegionFile.decode(bytes, calendar.year(), file.toString()).equals(r.next())) {
                    throw new IllegalStateException("bad math in RegionFile: encode/decode round trip differs");
                }
                FileUtil.writeAtomically(file, bytes);
                adopt(r.next(), signatureOf());
                return r.value();
            }
        } catch (IOException e) {
            throw QuireException.io("cannot lock or update the region store: " + e.getMessage(), Where.file(lockFile.toString(), -1), e);
        } finally {
            jvm.unlock();
        }
    }

    private void adopt(RegionFile.State s, Object sig) {
        state = s;
        signature = sig;
        Set<Long> live = new HashSet<>();
        for (PriorityRegion r : s.regions()) live.add(r.id());
        progress.keySet().retainAll(live);
    }

    private RegionFile.State read() {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > RegionLimits.FILE_BYTES_MAX) {
                throw QuireException.integrity("regions file is " + size + " bytes, over " + RegionLimits.FILE_BYTES_MAX, Where.file(file.toString(), 0));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return RegionFile.State.empty(calendar.year());
        } catch (IOException e) {
            throw QuireException.io("cannot read the region store: " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
        return RegionFile.decode(bytes, calendar.year(), file.toString());
    }

    private Object signatureOf() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toInstant(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw QuireException.io("cannot stat the region store: " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
    }

    private static void checkCreator(String creator) {
        if (creator.isEmpty() || creator.length() > RegionLimits.CREATOR_BYTES_MAX) {
            throw invalid("creator must be 1.." + RegionLimits.CREATOR_BYTES_MAX + " characters", "region_invalid");
        }
        for (int i = 0; i < creator.length(); i++) {
            char c = creator.charAt(i);
            if (c < 0x20 || c > 0x7E) throw invalid("creator holds a character that is not printable ASCII at " + i, "region_invalid");
        }
    }

    private static QuireException invalid(String msg, String code) { return QuireException.invalid(msg).withCode(code); }

}
