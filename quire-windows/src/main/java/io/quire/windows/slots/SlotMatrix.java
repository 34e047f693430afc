package io.quire.windows.slots;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.windows.slots.Transitions.Op;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static io.quire.windows.slots.SlotLayout.*;

/**
 * One ledger's slot file for one year, memory-mapped with the FFM API: {@code (symbol_id,
 * minute_idx, slot)} is a fixed offset (layout and byte pictures in {@link SlotLayout}). Safe for
 * any number of threads in this process and any number of processes mapping the same file.
 * Open the same file at most once per JVM (a second open is refused: POSIX record locks are
 * per process, and closing one channel would drop the other's locks).
 *
 * <h2>Seqlock / CAS protocol (which write pairs with which read)</h2>
 * Each slot starts with a 64-bit word: seq (bits 0..39) and owner session (bits 40..63). The
 * word is only ever changed by {@code compareAndSet} (claim, volatile) or {@code setRelease}
 * (publish); both work across processes because every process maps the same page-cache page and
 * the VarHandle operations compile to the CPU's atomic instructions on that memory.
 * <pre>
 *  writer                                        reader
 *  1 w  = getAcquire(word); if odd: wait          1 w1 = getAcquire(word); if odd: wait
 *    read fields as the reader does; decide        2 A, B, C = plain loads
 *  2 CAS(word, w, w+1|me)  -- odd: claimed         3 loadLoadFence
 *    (fails: someone changed the slot; re-read)    4 w2 = getOpaque(word)
 *  3 storeStoreFence                                5 w1 == w2 ? (A,B,C) is the write that
 *  4 A, B, C = plain stores                           published w1 : retry
 *  5 setRelease(word, w+2|me) -- even: published
 * </pre>
 * Pairs: the writer's release store (5) pairs with the reader's acquire load (1), so a reader
 * that sees the published word sees the fields written before it. The writer's CAS (2) plus
 * storeStoreFence (3) keep the field stores after the odd word, and the reader's loadLoadFence
 * (3) keeps its field loads before the re-read (4): a reader that loaded any field of a newer
 * write sees a different word at (4) and retries. The decision in writer step 1 is only acted on
 * if the CAS proves the word — hence the fields — did not change since: exactly one of any
 * number of racing writers wins per stable state, across threads and processes.
 *
 * <p>Waiting: an odd word is a write in progress. Waiters spin ({@code Thread.onSpinWait}),
 * then yield; after {@link SlotLimits#OWNER_PROBE_AFTER_NANOS} they ask whether the owner
 * session is alive and, if it is not, repair the slot; after {@link SlotLimits#SLOT_WAIT_NANOS_MAX}
 * they give up with CONFLICT code {@code slot_busy} naming the slot and the owner.
 *
 * <h2>Sessions and crash repair</h2>
 * Every open takes a session id (header {@code sessions_opened} + 1, an atomic add) and holds an
 * exclusive POSIX lock on byte {@code LOCK_SESSION_BASE + id} for its life. The kernel drops
 * that lock when the process dies, even by {@code kill -9}, so "can I lock that byte?" tells
 * anyone whether the owner of an odd word is dead. Repair rule: an odd word whose owner is dead
 * is a write cut short; its fields may mix old and new longs and cannot be trusted. The repairer
 * takes the slot over with a CAS from that odd word to its own odd word (so two repairers cannot
 * both act), publishes it as CLEARED with no payload and the version it found (old or the dead
 * writer's, both at least the last published one, so versions never go down), bumps
 * {@code repairs_total} and reports a {@link RepairRecord} to {@link SlotAudit#onRepair}. The
 * producer refills it. Repairs happen
 * <ul>
 *   <li>on open, when this process is the sole opener (exclusive lock on {@code LOCK_OPEN}) and
 *       {@code sessions_closed != sessions_opened} (some session ended without a clean close):
 *       every reserved symbol's slots are scanned, odd words and slots that fail their check are
 *       repaired, and the counters are made equal; the cost is proportional to reserved data
 *       and is paid only after an unclean shutdown;</li>
 *   <li>lazily, when any access waits on an odd word whose owner turns out to be dead (a
 *       process crashed while others keep the file open);</li>
 *   <li>on demand by {@link #verifyAndRepair()}.</li>
 * </ul>
 *
 * <h2>Disk reservation (why a full disk cannot crash the JVM)</h2>
 * The file is sparse: storing into a hole through the mapping allocates a block at page-fault
 * time, and on a full disk that fault is SIGBUS, which kills the process. So no slot of a symbol
 * is ever stored through the mapping before the symbol's whole row range ({@code minutes *
 * row_bytes}) has been allocated with ordinary {@code FileChannel.write} calls of zeros, then
 * {@code force}d; only then is the symbol's bit set in the header's reservation bitmap (atomic OR,
 * release). A full disk makes that write fail with an IOException, reported as QuireException
 * IO, and the slot is left untouched. Writing zeros is safe because nothing of the symbol has been
 * stored yet (stores wait for the bit), and reservations are serialised by a JVM monitor plus an
 * exclusive lock on {@code LOCK_RESERVE} across processes. Reads of a symbol whose bit is unset
 * never touch the mapping: the symbol was never written, so every slot is a fresh Empty (this
 * matters on tmpfs, where even a read fault into a hole allocates a page, and it keeps resident
 * memory proportional to written symbols); writers reserve before their first read. Caveat: on copy-on-write filesystems (btrfs, ZFS) an
 * overwrite of an allocated block can still need space; use ext4/XFS (or {@code chattr +C}).
 */
public final class SlotMatrix implements AutoCloseable {
    private static final Set<String> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final int ZERO_CHUNK_BYTES = 1 << 20;
    private static final int SPINS_BEFORE_YIELD = 64;
    /** Rows iterSymbol reads per bulk seqlock pass: 32 trade rows = one 4 KiB copy, in L1. */
    static final int SCAN_CHUNK_ROWS = 32;

    /** How the file is opened; {@link #defaults()} creates it when missing. */
    public record Options(SlotAudit audit, LongSupplier clockNs, boolean create) {
        public Options {
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(clockNs, "clockNs");
        }

        public static Options defaults() { return new Options(SlotAudit.NONE, SlotMatrix::wallClockNs, true); }

        public Options withAudit(SlotAudit a) { return new Options(a, clockNs, create); }

        public Options withClock(LongSupplier c) { return new Options(audit, c, create); }

        public Options withCreate(boolean c) { return new Options(audit, clockNs, c); }
    }

    final Path path;
    private final String file;
    private final String registryKey;
    final LedgerKind kind;
    final int year;
    final int symbols;
    final int minutes;
    private final long rowBytes;
    private final long symbolStride;
    private final FileChannel ch;
    private final Arena arena;
    private final MemorySegment seg;
    private final SlotAudit audit;
    private final LongSupplier clock;
    private final boolean[] reservedHere;
    /** Per slot of a scan chunk (SCAN_CHUNK_ROWS rows), the payload type code its column accepts. */
    private final int[] chunkAccepts;
    private final Object reserveMonitor = new Object();
    /** Test hook run between the first and second field store of a write (null in production). */
    private final Runnable midWriteHook;
    /** Test hook run by a scan between a chunk's first and second bulk copy (null in production). */
    private Runnable midScanHook;
    private int session;
    private FileLock sessionLock;
    private FileLock openLock;
    private RepairReport openReport = RepairReport.NONE;
    private volatile boolean closed;

    /** {@code <root>/windows/<year>/<kind>.slots}. */
    public static Path pathFor(Path root, int year, LedgerKind kind) {
        return root.resolve("windows").resolve(Integer.toString(year)).resolve(kind.fileName() + ".slots");
    }

    /**
     * The symbols capacity recorded in an existing slot file's header (magic, version and CRC
     * checked), so that tools can open a file without knowing how it was created. NOT_FOUND when
     * the file does not exist; INTEGRITY naming the file when its header is damaged.
     */
    public static int symbolsCapacityOf(Path file) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            return SlotHeader.peekSymbols(c, file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new QuireException(ErrorKind.NOT_FOUND, "slot file does not exist", Where.file(file.toString(), -1), e);
        } catch (IOException e) {
            throw QuireException.io("cannot read slot file header: " + e.getMessage(), Where.file(file.toString(), 0), e);
        }
    }

    public static SlotMatrix open(Path file, LedgerKind kind, int year, int symbolsCapacity, int minutes, Options options) {
        return open(file, kind, year, symbolsCapacity, minutes, options, null);
    }

    static SlotMatrix open(Path file, LedgerKind kind, int year, int symbolsCapacity, int minutes, Options options, Runnable midWriteHook) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(options, "options");
        if (year < SlotLimits.YEAR_MIN || year > SlotLimits.YEAR_MAX)
            throw QuireException.invalid("year " + year + " out of range " + SlotLimits.YEAR_MIN + ".." + SlotLimits.YEAR_MAX);
        if (symbolsCapacity < 1 || symbolsCapacity > SlotLimits.SYMBOLS_CAPACITY_MAX)
            throw QuireException.invalid("symbols capacity " + symbolsCapacity + " out of range 1.." + SlotLimits.SYMBOLS_CAPACITY_MAX);
        if (minutes < 1 || minutes > SlotLimits.MINUTES_MAX)
            throw QuireException.invalid("minutes " + minutes + " out of range 1.." + SlotLimits.MINUTES_MAX);
        if (options.create()) SlotHeader.createIfMissing(file, kind, year, symbolsCapacity, minutes);
        return new SlotMatrix(file, kind, year, symbolsCapacity, minutes, options, midWriteHook);
    }

    private SlotMatrix(Path file, LedgerKind kind, int year, int symbols, int minutes, Options options, Runnable midWriteHook) {
        this.path = file;
        this.file = file.toString();
        this.kind = kind;
        this.year = year;
        this.symbols = symbols;
        this.minutes = minutes;
        this.rowBytes = kind.rowBytes();
        this.symbolStride = (long) minutes * rowBytes;
        this.audit = options.audit();
        this.clock = options.clockNs();
        this.midWriteHook = midWriteHook;
        this.reservedHere = new boolean[symbols];
        this.chunkAccepts = new int[SCAN_CHUNK_ROWS * kind.slotsPerRow()];
        for (int j = 0; j < chunkAccepts.length; j++) chunkAccepts[j] = SlotKind.at(kind, j % kind.slotsPerRow()).acceptsCode();
        this.session = -1;
        FileChannel c = null;
        Arena a = null;
        String key = null;
        boolean success = false;
        try {
            try {
                c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new QuireException(ErrorKind.NOT_FOUND, "slot file does not exist (open with create to make it)", Where.file(this.file, -1), e);
            }
            SlotHeader.validate(c, file, kind, year, symbols, minutes);
            key = file.toRealPath().toString();
            if (!OPEN_IN_THIS_JVM.add(key)) {
                key = null;
                throw new QuireException(ErrorKind.CONFLICT, "slot file is already open in this process; share that SlotMatrix instead of opening it twice", Where.file(this.file, -1)).withCode("already_open");
            }
            a = Arena.ofShared();
            MemorySegment s;
            try {
                s = c.map(FileChannel.MapMode.READ_WRITE, 0, fileBytes(symbols, minutes, kind), a);
            } catch (IOException e) {
                throw QuireException.io("cannot map " + fileBytes(symbols, minutes, kind) + " bytes: " + e.getMessage()
                        + " (check `ulimit -v` and vm.max_map_count)", Where.file(this.file, 0), e);
            }
            this.ch = c;
            this.arena = a;
            this.seg = s;
            this.registryKey = key;
            joinSessions();
            success = true;
        } catch (IOException e) {
            throw QuireException.io("cannot open slot file: " + e.getMessage(), Where.file(this.file, -1), e);
        } finally {
            if (!success) {
                if (a != null) a.close();
                if (c != null) try { c.close(); } catch (IOException ignored) { /* already failing */ }
                if (key != null) OPEN_IN_THIS_JVM.remove(key);
            }
        }
    }

    /** Sole opener: repair after an unclean shutdown. Everyone: take a session id and its lock. */
    private void joinSessions() throws IOException {
        FileLock sole = ch.tryLock(LOCK_OPEN, 1, false);
        if (sole != null) {
            try {
                long opened = (long) LONG_VH.getVolatile(seg, (long) HDR_SESSIONS_OPENED_64);
                long closedCount = (long) LONG_VH.getVolatile(seg, (long) HDR_SESSIONS_CLOSED_64);
                if (opened != closedCount) {
                    // Every earlier session is gone (we hold the open lock exclusively), and at
                    // least one ended without closing: any odd word is a torn write.
                    openReport = scan(true);
                    LONG_VH.setVolatile(seg, (long) HDR_SESSIONS_CLOSED_64, opened);
                }
            } finally {
                sole.release();
            }
        }
        // Blocks while a sole opener elsewhere is scanning.
        openLock = ch.lock(LOCK_OPEN, 1, true);
        for (int attempt = 0; attempt < 16 && sessionLock == null; attempt++) {
            long n = (long) LONG_VH.getAndAdd(seg, (long) HDR_SESSIONS_OPENED_64, 1L) + 1;
            int id = (int) (n & OWNER_MASK);
            if (id == 0) continue; // 0 means "never written"; a fresh id comes next
            FileLock l = ch.tryLock(LOCK_SESSION_BASE + id, 1, false);
            if (l != null) {
                session = id;
                sessionLock = l;
            } else {
                // An id 2^24 opens old is still alive: count this one as closed and take another.
                LONG_VH.getAndAdd(seg, (long) HDR_SESSIONS_CLOSED_64, 1L);
            }
        }
        if (sessionLock == null) throw new IllegalStateException("bad math in joinSessions: no free session id after 16 tries");
    }

    // ---------------------------------------------------------------- addressing

    private long slotOffset(SlotKind slot, int symbolId, int minuteIdx) {
        checkSlot(slot);
        checkSymbol(symbolId);
        checkMinute(minuteIdx);
        return rowOffset(symbolId, minuteIdx) + (long) slot.index() * SLOT_BYTES;
    }

    private long rowOffset(int symbolId, int minuteIdx) {
        return HEADER_BYTES + symbolId * symbolStride + minuteIdx * rowBytes;
    }

    private void checkSlot(SlotKind slot) {
        Objects.requireNonNull(slot, "slot");
        if (slot.ledger() != kind) throw QuireException.invalid(slot.column() + " is a " + slot.ledger().fileName() + " column, not in the " + kind.fileName() + " ledger");
    }

    private void checkSymbol(int symbolId) {
        if (symbolId < 0 || symbolId >= symbols) throw QuireException.invalid("symbol_id " + symbolId + " out of range 0.." + (symbols - 1) + " of " + file);
    }

    private void checkMinute(int minuteIdx) {
        if (minuteIdx < 0 || minuteIdx >= minutes) throw QuireException.invalid("minute_idx " + minuteIdx + " out of range 0.." + (minutes - 1) + " of " + file);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("slot file " + file + " is closed");
    }

    // ---------------------------------------------------------------- reads

    /** A consistent snapshot of one slot. */
    public SlotView read(SlotKind slot, int symbolId, int minuteIdx) {
        checkOpen();
        long off = slotOffset(slot, symbolId, minuteIdx);
        long[] s = new long[4];
        if (reserved(symbolId)) readStable(off, slot, s);
        return view(slot, symbolId, minuteIdx, s[0], s[1], s[2], s[3]);
    }

    /**
     * Reads the stable state of the slot at {@code off} into {@code out} (word, A, B, C),
     * waiting out a write in progress, repairing a dead writer's torn slot, and verifying the
     * content (INTEGRITY when it fails).
     */
    private void readStable(long off, SlotKind slot, long[] out) {
        readStable(off, slot, out, 0);
    }

    private void readStable(long off, SlotKind slot, long[] out, int base) {
        long start = 0;
        long lastProbe = 0;
        for (int spins = 0; ; spins++) {
            long w1 = (long) LONG_VH.getAcquire(seg, off);
            if (!busy(w1)) {
                long a = seg.get(LONG, off + SLOT_A_64);
                long b = seg.get(LONG, off + SLOT_B_64);
                long c = seg.get(LONG, off + SLOT_C_64);
                VarHandle.loadLoadFence();
                long w2 = (long) LONG_VH.getOpaque(seg, off);
                if (w1 == w2) {
                    String bad = invalid(w1, a, b, c, slot);
                    if (bad != null) throw damaged(off, slot, bad);
                    out[base] = w1;
                    out[base + 1] = a;
                    out[base + 2] = b;
                    out[base + 3] = c;
                    return;
                }
            }
            if (start == 0) start = System.nanoTime();
            long waited = System.nanoTime() - start;
            if (busy(w1) && waited - lastProbe >= SlotLimits.OWNER_PROBE_AFTER_NANOS) {
                lastProbe = waited;
                if (!ownerAlive(owner(w1))) {
                    repair(off, w1, slot, RepairRecord.Reason.TORN_WRITE_DEAD_OWNER, false, null);
                    continue;
                }
            }
            if (waited > SlotLimits.SLOT_WAIT_NANOS_MAX) throw busyTooLong(off, slot, w1);
            if (spins < SPINS_BEFORE_YIELD) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    private QuireException damaged(long off, SlotKind slot, String why) {
        return QuireException.integrity(slotName(off, slot) + " is damaged: " + why
                + "; clear it, or run SlotMatrix.verifyAndRepair to reset it to CLEARED", Where.file(file, off));
    }

    private QuireException busyTooLong(long off, SlotKind slot, long w) {
        return new QuireException(ErrorKind.CONFLICT, slotName(off, slot) + " stayed busy for more than " + SlotLimits.SLOT_WAIT_NANOS_MAX / 1_000_000
                + " ms (word 0x" + Long.toHexString(w) + ", owner session " + owner(w) + " is alive); is a writer stopped in a debugger?",
                Where.file(file, off)).withCode("slot_busy");
    }

    private String slotName(long off, SlotKind slot) {
        long rel = off - HEADER_BYTES;
        long sym = rel / symbolStride;
        long min = (rel % symbolStride) / rowBytes;
        return kind.fileName() + " slot " + slot.column() + " (symbol " + sym + ", minute " + min + ")";
    }

    private static SlotView view(SlotKind slot, int sym, int min, long w, long a, long b, long c) {
        SlotStatus st = SlotStatus.ofCode(status(a));
        PayloadType pt = PayloadType.ofCode(ptype(a));
        return new SlotView(slot, sym, min, st, pt, payloadId(a), version(b), checksum(b), c, seq(w));
    }

    // ---------------------------------------------------------------- writes

    SetResult fill(SlotKind slot, int symbolId, int minuteIdx, PayloadMeta meta, long expected) {
        Objects.requireNonNull(meta, "meta");
        if (expected != Transitions.NO_EXPECTED && (expected < 0 || expected > SlotLimits.U32_MAX))
            throw QuireException.invalid("expected version " + expected + " out of range 0.." + SlotLimits.U32_MAX);
        return mutate(Op.FILL, slot, symbolId, minuteIdx, meta, expected, null);
    }

    SetResult markPending(SlotKind slot, int symbolId, int minuteIdx) {
        return mutate(Op.PEND, slot, symbolId, minuteIdx, null, Transitions.NO_EXPECTED, null);
    }

    ClearRecord clear(SlotKind slot, int symbolId, int minuteIdx, String cause, String operator) {
        checkText("cause", cause, SlotLimits.CAUSE_CHARS_MAX);
        checkText("operator", operator, SlotLimits.OPERATOR_CHARS_MAX);
        ClearRecord[] out = new ClearRecord[1];
        mutate(Op.CLEAR, slot, symbolId, minuteIdx, null, Transitions.NO_EXPECTED, (before, after) ->
                out[0] = new ClearRecord(kind, before, after, cause, operator, after.lastUpdatedNs()));
        audit.onClear(out[0]);
        return out[0];
    }

    private interface ClearSink { void done(SlotView before, SlotView after); }

    private static void checkText(String what, String s, int max) {
        if (s == null || s.isBlank()) throw QuireException.invalid(what + " must not be blank");
        if (s.length() > max) throw QuireException.invalid(what + " is " + s.length() + " characters, more than " + max);
    }

    private SetResult mutate(Op op, SlotKind slot, int sym, int min, PayloadMeta meta, long expected, ClearSink sink) {
        checkOpen();
        long off = slotOffset(slot, sym, min);
        long[] s = new long[4];
        long start = 0;
        if (op == Op.CLEAR && !reserved(sym)) {
            // Never written, so Empty: clearing it changes nothing and allocates nothing.
            SlotView empty = view(slot, sym, min, 0, 0, 0, 0);
            sink.done(empty, empty);
            return new SetResult.Ok(empty);
        }
        // Reserve before the first read too: on tmpfs even a read fault on a hole allocates.
        ensureReserved(sym);
        while (true) {
            readStable(off, slot, s);
            long w = s[0];
            SlotStatus from = SlotStatus.ofCode(status(s[1]));
            long curVersion = version(s[2]);
            ConflictReason refused = Transitions.refuse(op, from, curVersion, slot, meta, expected);
            if (refused != null)
                return new SetResult.Conflict(refused, Transitions.detail(refused, slot, from, curVersion, meta, expected, op), view(slot, sym, min, w, s[1], s[2], s[3]));
            SlotStatus to = Transitions.target(op, from);
            SlotView before = view(slot, sym, min, w, s[1], s[2], s[3]);
            if (op == Op.CLEAR && to == SlotStatus.EMPTY) {
                // Clearing a never-touched slot changes nothing: nothing is written, so an
                // unreserved symbol stays a hole.
                sink.done(before, before);
                return new SetResult.Ok(before);
            }
            long a;
            long b;
            long c;
            if (op == Op.FILL) {
                a = packA(meta.payloadType().code(), to.code(), meta.payloadId());
                b = packB(meta.version(), meta.checksum());
                c = meta.lastUpdatedNs();
            } else {
                a = packA(0, to.code(), 0);
                b = packB(curVersion, 0);
                c = clock.getAsLong();
            }
            long claim = claimed(w, session);
            if (LONG_VH.compareAndSet(seg, off, w, claim)) {
                long pub = published(claim);
                store(off, claim, pub, seal(pub, a, b, c), b, c);
                SlotView after = view(slot, sym, min, pub, a, b, c);
                if (sink != null) sink.done(before, after);
                return new SetResult.Ok(after);
            }
            // Lost the race: someone changed the slot between our read and CAS; decide again
            // on the new state (with an expected version that is now a VERSION_MISMATCH).
            if (start == 0) start = System.nanoTime();
            else if (System.nanoTime() - start > SlotLimits.SLOT_WAIT_NANOS_MAX) throw busyTooLong(off, slot, w);
            Thread.onSpinWait();
        }
    }

    /** Steps 3-5 of the writer protocol, after a successful claim CAS. */
    private void store(long off, long claim, long pub, long a, long b, long c) {
        assert busy(claim) && !busy(pub) && owner(claim) == owner(pub) : "bad math in store: claim " + claim + " pub " + pub;
        VarHandle.storeStoreFence();
        seg.set(LONG, off + SLOT_A_64, a);
        if (midWriteHook != null) midWriteHook.run();
        seg.set(LONG, off + SLOT_B_64, b);
        seg.set(LONG, off + SLOT_C_64, c);
        LONG_VH.setRelease(seg, off, pub);
    }

    // ---------------------------------------------------------------- reservation

    /** Whether symbol {@code sym} is reserved (then its slots may hold data), cached once true. */
    private boolean reserved(int sym) {
        if (reservedHere[sym]) return true;
        if (((long) LONG_VH.getAcquire(seg, HDR_BITMAP_OFFSET + 8L * (sym >>> 6)) & (1L << (sym & 63))) == 0) return false;
        reservedHere[sym] = true;
        return true;
    }

    private void ensureReserved(int sym) {
        if (reservedHere[sym]) return;
        long woff = HDR_BITMAP_OFFSET + 8L * (sym >>> 6);
        long bit = 1L << (sym & 63);
        if (((long) LONG_VH.getAcquire(seg, woff) & bit) == 0) {
            synchronized (reserveMonitor) {
                if (((long) LONG_VH.getAcquire(seg, woff) & bit) == 0) reserve(sym, woff, bit);
            }
        }
        reservedHere[sym] = true;
    }

    private void reserve(int sym, long woff, long bit) {
        long from = HEADER_BYTES + sym * symbolStride;
        FileLock l = null;
        try {
            l = ch.lock(LOCK_RESERVE, 1, false);
            if (((long) LONG_VH.getAcquire(seg, woff) & bit) != 0) return; // another process did it
            ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK_BYTES, symbolStride));
            long pos = from;
            long end = from + symbolStride;
            while (pos < end) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
                while (zeros.hasRemaining()) pos += ch.write(zeros, pos);
            }
            ch.force(false);
            LONG_VH.getAndBitwiseOrRelease(seg, woff, bit);
        } catch (IOException e) {
            throw QuireException.io("cannot reserve disk space for symbol " + sym + " (" + symbolStride + " bytes at offset " + from + "): "
                    + e.getMessage() + "; the disk is probably full — free space and retry. The slot was not written",
                    Where.file(file, from), e);
        } finally {
            if (l != null) try { l.release(); } catch (IOException ignored) { /* closing the channel releases it too */ }
        }
    }

    /** Whether symbol {@code sym}'s rows are allocated on disk (its reservation bit is set). */
    public boolean isReserved(int sym) {
        checkOpen();
        checkSymbol(sym);
        return reserved(sym);
    }

    // ---------------------------------------------------------------- repair

    private boolean ownerAlive(int owner) {
        if (owner == 0) return false; // an odd word nobody owns is damage
        if (owner == session) return true; // one of our own threads is mid-write
        try (FileLock l = ch.tryLock(LOCK_SESSION_BASE + owner, 1, false)) {
            return l == null;
        } catch (OverlappingFileLockException e) {
            return true; // another of our threads is probing it right now; ask again later
        } catch (IOException e) {
            throw QuireException.io("cannot probe session " + owner + "'s lock: " + e.getMessage(), Where.file(file, -1), e);
        }
    }

    /**
     * Takes over the slot from {@code found} (an odd word of a dead owner, or an even word with
     * invalid content) and publishes it CLEARED. Returns false if the word changed meanwhile.
     */
    private boolean repair(long off, long found, SlotKind slot, RepairRecord.Reason reason, boolean duringOpen, List<RepairRecord> sink) {
        long take = busy(found) ? ((long) session << SEQ_BITS) | ((seq(found) + 2) & SEQ_MASK) : claimed(found, session);
        if (session <= 0) take = (take & SEQ_MASK); // during the open scan there is no session yet
        if (!LONG_VH.compareAndSet(seg, off, found, take)) return false;
        long keptVersion = version(seg.get(LONG, off + SLOT_B_64));
        long pub = published(take);
        long a = packA(0, SlotStatus.CLEARED.code(), 0);
        long b = packB(keptVersion, 0);
        long c = clock.getAsLong();
        store(off, take, pub, seal(pub, a, b, c), b, c);
        LONG_VH.getAndAdd(seg, (long) HDR_REPAIRS_TOTAL_64, 1L);
        long rel = off - HEADER_BYTES;
        SlotView after = view(slot, (int) (rel / symbolStride), (int) ((rel % symbolStride) / rowBytes), pub, a, b, c);
        RepairRecord r = new RepairRecord(kind, reason, found, after, duringOpen, c);
        if (sink != null) sink.add(r);
        audit.onRepair(r);
        return true;
    }

    /**
     * Scans every reserved symbol and repairs torn slots of dead writers and slots failing their
     * check. Safe while other processes write: slots of live writers are skipped and counted.
     */
    public synchronized RepairReport verifyAndRepair() {
        checkOpen();
        return scan(false);
    }

    private synchronized RepairReport scan(boolean duringOpen) {
        List<RepairRecord> found = new ArrayList<>();
        long scanned = 0;
        long repairs = 0;
        long busySkipped = 0;
        {
            for (int sym = 0; sym < symbols; sym++) {
                if (((long) LONG_VH.getAcquire(seg, HDR_BITMAP_OFFSET + 8L * (sym >>> 6)) & (1L << (sym & 63))) == 0) continue;
                for (int min = 0; min < minutes; min++) {
                    long row = rowOffset(sym, min);
                    for (int k = 0; k < kind.slotsPerRow(); k++) {
                        long off = row + (long) k * SLOT_BYTES;
                        SlotKind slot = SlotKind.at(kind, k);
                        scanned++;
                        int r = scanSlot(off, slot, duringOpen, found);
                        if (r > 0) repairs++;
                        else if (r < 0) busySkipped++;
                    }
                }
            }
        }
        List<RepairRecord> listed = found.size() > SlotLimits.REPAIRS_LISTED_MAX ? found.subList(0, SlotLimits.REPAIRS_LISTED_MAX) : found;
        return new RepairReport(true, scanned, repairs, List.copyOf(listed), busySkipped);
    }

    /** 1 repaired, 0 fine, -1 busy with a live writer. */
    private int scanSlot(long off, SlotKind slot, boolean duringOpen, List<RepairRecord> sink) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            long w1 = (long) LONG_VH.getAcquire(seg, off);
            if (busy(w1)) {
                if (!duringOpen && ownerAlive(owner(w1))) return -1;
                if (repair(off, w1, slot, RepairRecord.Reason.TORN_WRITE_DEAD_OWNER, duringOpen, sink)) return 1;
                continue;
            }
            long a = seg.get(LONG, off + SLOT_A_64);
            long b = seg.get(LONG, off + SLOT_B_64);
            long c = seg.get(LONG, off + SLOT_C_64);
            VarHandle.loadLoadFence();
            if ((long) LONG_VH.getOpaque(seg, off) != w1) continue;
            if (invalid(w1, a, b, c, slot) == null) return 0;
            if (repair(off, w1, slot, RepairRecord.Reason.INVALID_CONTENT, duringOpen, sink)) return 1;
        }
        return -1;
    }

    /** What the scan on open did (NONE when the last shutdown was clean or others had it open). */
    public RepairReport openReport() { return openReport; }

    /** Slots repaired in this file since it was created, by any process. */
    public long repairsTotal() {
        checkOpen();
        return (long) LONG_VH.getVolatile(seg, (long) HDR_REPAIRS_TOTAL_64);
    }

    // ---------------------------------------------------------------- rows and iteration

    /** One row, each slot a consistent snapshot (allocates one cursor). */
    RowCursor row(int sym, int min) {
        checkOpen();
        checkSymbol(sym);
        checkMinute(min);
        RowCursor c = new RowCursor(kind);
        readRow(sym, min, c);
        return c;
    }

    /** Reads every slot of one row into the cursor (each slot consistent on its own). */
    void readRow(int sym, int min, RowCursor cur) {
        long row = rowOffset(sym, min);
        cur.at(sym, min);
        if (!reserved(sym)) {
            // Never written: every slot is a fresh Empty. Not touching the hole also keeps
            // resident memory proportional to written symbols (and tmpfs allocates on read faults).
            java.util.Arrays.fill(cur.reset(), 0L);
            return;
        }
        long[] raw = cur.reset();
        for (int k = 0; k < kind.slotsPerRow(); k++) readStable(row + (long) k * SLOT_BYTES, SlotKind.at(kind, k), raw, k * 4);
    }

    /**
     * Visits rows {@code [fromMinute, toMinute)} of one symbol in layout order (a forward scan of
     * contiguous memory), reusing one cursor; stops early when the visitor returns false.
     * Returns the number of rows visited.
     */
    public long iterSymbol(int symbolId, int fromMinute, int toMinute, RowVisitor visitor) {
        checkOpen();
        checkSymbol(symbolId);
        checkRange("minute", fromMinute, toMinute, minutes);
        RowCursor cur = new RowCursor(kind);
        int perRow = 4 * kind.slotsPerRow();
        long[] before = new long[SCAN_CHUNK_ROWS * perRow];
        long[] data = new long[before.length];
        long[] after = new long[before.length];
        long n = 0;
        for (int m = fromMinute; m < toMinute; m += SCAN_CHUNK_ROWS) {
            int rows = Math.min(SCAN_CHUNK_ROWS, toMinute - m);
            // Never written: every slot a fresh Empty, without touching the hole (see readRow).
            if (reserved(symbolId)) readChunk(rowOffset(symbolId, m), rows, before, data, after);
            else java.util.Arrays.fill(data, 0, rows * perRow, 0L);
            for (int r = 0; r < rows; r++) {
                cur.at(symbolId, m + r);
                cur.point(data, r * perRow);
                n++;
                if (!visitor.visit(cur)) return n;
            }
        }
        return n;
    }

    /**
     * The seqlock read of {@link SlotLayout} for {@code rows} consecutive rows at {@code off} at
     * once, into {@code data} (the rows' bytes as longs), in three bulk copies: the words (into
     * {@code before}), acquire fence, the fields (into {@code data}), load-load fence, the words
     * again (into {@code after}). A slot whose two words are equal and even was not written in
     * between, so its fields in {@code data} are one write's; any other slot is read again alone
     * by readStable (waits, repairs a dead owner). Each copy moves aligned 8-byte units atomically
     * (Unsafe.copyMemory's contract), so no field is torn. docs/WINDOWS.md "The scan's bulk read".
     */
    private void readChunk(long off, int rows, long[] before, long[] data, long[] after) {
        int longs = rows * kind.slotsPerRow() * 4;
        MemorySegment.copy(seg, LONG, off, before, 0, longs);
        VarHandle.acquireFence();
        if (midScanHook != null) midScanHook.run();
        MemorySegment.copy(seg, LONG, off, data, 0, longs);
        VarHandle.loadLoadFence();
        MemorySegment.copy(seg, LONG, off, after, 0, longs); // from L1: only its words are used
        // One pass for the common case, every slot stable and valid; the per-slot pass only when
        // one is not. A stable slot's word in `data` equals its word in `before`: words only grow.
        int[] accepts = chunkAccepts;
        boolean ok = true;
        for (int i = 0; i < longs; i += 4) {
            long w = before[i];
            ok &= w == after[i] & !busy(w) & valid(w, data[i + 1], data[i + 2], data[i + 3], accepts[i >>> 2]);
        }
        if (ok) return;
        for (int j = 0; j < longs / 4; j++) {
            int i = 4 * j;
            long w = before[i];
            boolean stable = w == after[i] && !busy(w);
            if (!stable || !valid(w, data[i + 1], data[i + 2], data[i + 3], accepts[j])) slowSlot(off, j, data, w, stable);
        }
    }

    /** Sets the test hook run between a scan chunk's first and second bulk copy. */
    void midScanHook(Runnable hook) { this.midScanHook = hook; }

    /** Slot {@code j} of a chunk that moved during the bulk read (read it alone), or a stable one with word {@code w} that is damaged. */
    private void slowSlot(long off, int j, long[] data, long w, boolean stable) {
        SlotKind slot = SlotKind.at(kind, j % kind.slotsPerRow());
        long slotOff = off + (long) j * SLOT_BYTES;
        int i = 4 * j;
        if (!stable) {
            readStable(slotOff, slot, data, i);
            return;
        }
        String bad = invalid(w, data[i + 1], data[i + 2], data[i + 3], slot);
        assert bad != null : "bad math: valid and invalid disagree on slot " + j;
        throw damaged(slotOff, slot, bad);
    }

    /**
     * Visits the rows of one minute for symbols {@code [fromSymbol, toSymbol)}, in increasing
     * address order (stride {@code minutes * row_bytes}), reusing one cursor.
     */
    public long iterMinute(int minuteIdx, int fromSymbol, int toSymbol, RowVisitor visitor) {
        checkOpen();
        checkMinute(minuteIdx);
        checkRange("symbol", fromSymbol, toSymbol, symbols);
        RowCursor cur = new RowCursor(kind);
        long n = 0;
        for (int s = fromSymbol; s < toSymbol; s++) {
            readRow(s, minuteIdx, cur);
            n++;
            if (!visitor.visit(cur)) break;
        }
        return n;
    }

    private void checkRange(String what, int from, int to, int limit) {
        if (from < 0 || to > limit || from > to)
            throw QuireException.invalid(what + " range [" + from + ", " + to + ") is not within [0, " + limit + ") of " + file);
    }

    // ---------------------------------------------------------------- lifecycle

    public LedgerKind kind() { return kind; }

    public int year() { return year; }

    public int symbolsCapacity() { return symbols; }

    public int minutes() { return minutes; }

    public Path path() { return path; }

    /** This open's session id (the owner written into words it claims). */
    public int session() { return session; }

    /** Flushes dirty pages of the mapping to disk (msync). The OS flushes on its own otherwise. */
    public void force() {
        checkOpen();
        seg.force();
    }

    /**
     * Closes the file; idempotent. Call it after this process's writers have stopped: a write
     * still in flight is cut short and will be repaired as a torn write by the next accessor.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Throwable failure = null;
        try {
            LONG_VH.getAndAdd(seg, (long) HDR_SESSIONS_CLOSED_64, 1L);
        } catch (Throwable t) { failure = t; }
        try { arena.close(); } catch (Throwable t) { failure = add(failure, t); }
        try { if (sessionLock != null) sessionLock.release(); } catch (Throwable t) { failure = add(failure, t); }
        try { if (openLock != null) openLock.release(); } catch (Throwable t) { failure = add(failure, t); }
        try { ch.close(); } catch (Throwable t) { failure = add(failure, t); }
        OPEN_IN_THIS_JVM.remove(registryKey);
        if (failure != null) throw QuireException.io("closing slot file failed: " + failure, Where.file(file, -1), failure);
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) return next;
        first.addSuppressed(next);
        return first;
    }

    /** Wall clock in epoch nanoseconds, as {@code last_updated_ns} and the audit's {@code at_ns} use. */
    public static long wallClockNs() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
