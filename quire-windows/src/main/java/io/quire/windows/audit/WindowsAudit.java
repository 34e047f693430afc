package io.quire.windows.audit;

import io.quire.windows.regions.PriorityRegion;
import io.quire.windows.slots.ClearRecord;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.RepairRecord;
import io.quire.windows.slots.SlotAudit;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The windows ledger's audit trail: turns clears, repairs, region changes and treasury revisions
 * into {@link AuditRecord}s (payloads in docs/FORMAT.md "windows/audit") and writes them to this
 * process's {@link AuditSpool}. Pass it as the slot files' {@link SlotAudit} so repairs found on
 * open or lazily are recorded. Only operator and recovery paths call it: the setters never do.
 *
 * <p>By default each event is fsynced before the call returns. Between {@link #beginBatch()} and
 * {@link #flush()} events are buffered and written with one fsync (a bulk {@code quire clear}
 * writes a {@code clear_request} first, unbuffered, so a crash mid-batch still leaves the
 * request in the trail).
 */
public final class WindowsAudit implements SlotAudit, AutoCloseable {
    /** Identity of automatic events (repairs) when no operator asked for them. */
    public static final String SYSTEM_OPERATOR = "system";

    private final AuditSpool spool;
    private final String operator;
    private final IntFunction<Optional<String>> symbols;
    private final LongSupplier clockNs;
    private final List<AuditRecord> buffer = new ArrayList<>();
    private boolean batching;

    /**
     * @param operator default identity for events that carry none (repairs): e.g. {@code $USER}
     * @param symbols  symbol id → symbol text, for readable payloads (e.g. {@code SymbolMap::symbolOf})
     */
    public WindowsAudit(AuditSpool spool, String operator, IntFunction<Optional<String>> symbols, LongSupplier clockNs) {
        this.spool = Objects.requireNonNull(spool);
        this.operator = Objects.requireNonNull(operator);
        this.symbols = Objects.requireNonNull(symbols);
        this.clockNs = Objects.requireNonNull(clockNs);
    }

    /** {@code $USER}, else {@code user.name}, else {@link #SYSTEM_OPERATOR}. */
    public static String operatorFrom(Map<String, String> env) {
        String u = env.get("USER");
        if (u == null || u.isBlank()) u = System.getProperty("user.name");
        return u == null || u.isBlank() ? SYSTEM_OPERATOR : u;
    }

    public AuditSpool spool() { return spool; }

    public synchronized void beginBatch() { batching = true; }

    /** Writes buffered events with one fsync and leaves batch mode. */
    public synchronized void flush() {
        batching = false;
        if (buffer.isEmpty()) return;
        List<AuditRecord> out = List.copyOf(buffer);
        buffer.clear();
        spool.append(out);
    }

    private synchronized void emit(AuditRecord r) {
        if (batching) buffer.add(r);
        else spool.append(List.of(r));
    }

    @Override
    public void onClear(ClearRecord r) {
        Map<String, Object> m = slotHeader("clear", r.atNs(), r.ledger(), r.before().slot(), r.before().symbolId(), r.before().minuteIdx());
        m.put("cause", r.cause());
        m.put("before", slot(r.before()));
        m.put("after", slot(r.after()));
        emit(new AuditRecord("clear", r.operator(), JsonText.write(m)));
    }

    @Override
    public void onRepair(RepairRecord r) {
        SlotView a = r.after();
        Map<String, Object> m = slotHeader("repair", r.atNs(), r.ledger(), a.slot(), a.symbolId(), a.minuteIdx());
        m.put("reason", r.reason().name());
        m.put("found_word", "0x" + Long.toHexString(r.foundWord()));
        m.put("during_open", r.duringOpen());
        m.put("after", slot(a));
        emit(new AuditRecord("repair", operator, JsonText.write(m)));
    }

    /** Written, fsynced, before a bulk clear changes anything. */
    public void clearRequested(String byOperator, LedgerKind ledger, SlotKind column, String symbol, int fromMinuteIdx, int toMinuteIdx, String cause) {
        Map<String, Object> m = JsonText.object();
        m.put("type", "clear_request");
        m.put("at_ns", clockNs.getAsLong());
        m.put("ledger", ledger.fileName());
        m.put("column", column.column());
        m.put("symbol", symbol);
        m.put("from_minute_idx", fromMinuteIdx);
        m.put("to_minute_idx", toMinuteIdx);
        m.put("cause", cause);
        emit(new AuditRecord("clear_request", byOperator, JsonText.write(m)));
    }

    public void regionAdded(PriorityRegion r, String byOperator) { emit(new AuditRecord("region_add", byOperator, region("region_add", r))); }

    public void regionRemoved(PriorityRegion r, String byOperator) { emit(new AuditRecord("region_rm", byOperator, region("region_rm", r))); }

    /** A region retired automatically (every minute healthy for every targeted column), by this audit's operator. */
    public void regionRetired(PriorityRegion r) { emit(new AuditRecord("region_retired", operator, region("region_retired", r))); }

    /** A treasury curve stored at a version above 1 (a re-published curve with other values). */
    public void treasuryRevision(String date, String curveId, long version, long payloadId, Instant validFrom, Instant validTo) {
        Map<String, Object> m = JsonText.object();
        m.put("type", "treasury_revision");
        m.put("at_ns", clockNs.getAsLong());
        m.put("date", date);
        m.put("curve_id", curveId);
        m.put("version", version);
        m.put("previous_version", version - 1);
        m.put("payload_id", payloadId);
        m.put("valid_from", validFrom.toString());
        m.put("valid_to", validTo.toString());
        emit(new AuditRecord("treasury_revision", operator, JsonText.write(m)));
    }

    private String region(String type, PriorityRegion r) {
        Map<String, Object> m = JsonText.object();
        m.put("type", type);
        m.put("at_ns", clockNs.getAsLong());
        m.put("region_id", r.id());
        m.put("symbol", r.symbol());
        m.put("symbol_id", r.symbolId());
        m.put("start_ts", r.startTs().toString());
        m.put("end_ts", r.endTs().toString());
        m.put("priority", r.priority());
        List<String> cols = new ArrayList<>();
        for (SlotKind k : r.columns()) cols.add(k.column());
        m.put("columns", cols);
        m.put("creator", r.creator());
        return JsonText.write(m);
    }

    private Map<String, Object> slotHeader(String type, long atNs, LedgerKind ledger, SlotKind slot, int symbolId, int minuteIdx) {
        Map<String, Object> m = JsonText.object();
        m.put("type", type);
        m.put("at_ns", atNs);
        m.put("ledger", ledger.fileName());
        m.put("column", slot.column());
        m.put("symbol_id", symbolId);
        m.put("symbol", symbols.apply(symbolId).orElse(null));
        m.put("minute_idx", minuteIdx);
        return m;
    }

    private static Map<String, Object> slot(SlotView v) {
        Map<String, Object> m = JsonText.object();
        m.put("status", v.status().name());
        m.put("payload_type", v.payloadType().name());
        m.put("payload_id", v.payloadId());
        m.put("version", v.version());
        m.put("checksum", Integer.toUnsignedLong(v.checksum()));
        m.put("last_updated_ns", v.lastUpdatedNs());
        return m;
    }

    /** Flushes anything buffered and closes the spool (it is then drained and deleted). */
    @Override
    public void close() {
        try {
            flush();
        } finally {
            spool.close();
        }
    }
}
