package io.quire.windows.mapping;

import io.quire.core.QuireException;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The six mapping files of one year under {@code <ledger>/windows/<year>/}, opened together
 * (all appending, or all read-only), and dereferencing of slot metadata. If one fails to open,
 * those already open are closed and the failure is rethrown.
 */
public final class MappingFiles implements AutoCloseable {
    private final int year;
    private final Map<PayloadType, MappingFile<?>> files;

    private MappingFiles(int year, Map<PayloadType, MappingFile<?>> files) {
        this.year = year;
        this.files = files;
    }

    /** Opens (creating when missing) all six mapping files of {@code year} for appending. */
    public static MappingFiles open(Path ledgerDir, int year) { return open(ledgerDir, year, false); }

    /** Opens all six existing mapping files of {@code year} read-only (NOT_FOUND if one is missing). */
    public static MappingFiles openReadOnly(Path ledgerDir, int year) { return open(ledgerDir, year, true); }

    private static MappingFiles open(Path ledgerDir, int year, boolean readOnly) {
        Map<PayloadType, MappingFile<?>> files = new EnumMap<>(PayloadType.class);
        try {
            for (PayloadCodec<?> c : Codec.all()) {
                Path f = MappingFile.fileIn(ledgerDir, year, c.type());
                files.put(c.type(), readOnly ? MappingFile.openReadOnly(f, year, c) : MappingFile.open(f, year, c));
            }
            return new MappingFiles(year, files);
        } catch (Throwable t) {
            for (MappingFile<?> f : files.values()) {
                try {
                    f.close();
                } catch (Throwable s) {
                    t.addSuppressed(s);
                }
            }
            throw t;
        }
    }

    @SuppressWarnings("unchecked")
    public MappingFile<RfRatePayload> rfRate() { return (MappingFile<RfRatePayload>) files.get(PayloadType.RF_RATE); }

    @SuppressWarnings("unchecked")
    public MappingFile<TradePayload> trade() { return (MappingFile<TradePayload>) files.get(PayloadType.TRADE); }

    @SuppressWarnings("unchecked")
    public MappingFile<QuotePayload> quote() { return (MappingFile<QuotePayload>) files.get(PayloadType.QUOTE); }

    @SuppressWarnings("unchecked")
    public MappingFile<AggressorPayload> aggressor() { return (MappingFile<AggressorPayload>) files.get(PayloadType.AGGRESSOR); }

    @SuppressWarnings("unchecked")
    public MappingFile<GreeksPayload> greeks() { return (MappingFile<GreeksPayload>) files.get(PayloadType.GREEKS); }

    @SuppressWarnings("unchecked")
    public MappingFile<AggregatePayload> aggregate() { return (MappingFile<AggregatePayload>) files.get(PayloadType.AGGREGATE); }

    /** The file of {@code type}; INVALID_INPUT for NONE. */
    public MappingFile<?> file(PayloadType type) {
        MappingFile<?> f = type == null ? null : files.get(type);
        if (f == null) throw QuireException.invalid("payload type " + type + " has no mapping file");
        return f;
    }

    /**
     * Dereferences a slot's payload: reads {@code meta.payloadId()} from the file of
     * {@code meta.payloadType()} and verifies it against {@code meta.checksum()} (INTEGRITY on a
     * mismatch, naming file, offset and id).
     */
    public PayloadRecord dereference(PayloadMeta meta) {
        return file(meta.payloadType()).read(meta.payloadId(), meta.checksum());
    }

    /** Appends {@code record} to the file of its type and returns the durable id and checksum. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Appended append(PayloadRecord record) {
        return ((MappingFile) file(record.type())).append(record);
    }

    /** Torn tails found when the files were opened, by type. */
    public Map<PayloadType, Recovery> recoveries() {
        Map<PayloadType, Recovery> out = new EnumMap<>(PayloadType.class);
        for (var e : files.entrySet()) e.getValue().recovery().ifPresent(r -> out.put(e.getKey(), r));
        return out;
    }

    public int year() { return year; }

    /** Closes every file, collecting failures. Idempotent. */
    @Override
    public void close() {
        List<RuntimeException> errors = new ArrayList<>();
        for (MappingFile<?> f : files.values()) {
            try {
                f.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.getFirst();
            for (int i = 1; i < errors.size(); i++) first.addSuppressed(errors.get(i));
            throw first;
        }
    }
}
