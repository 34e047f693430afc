package io.quire.cli;

import io.quire.core.Durability;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option parsers whose errors picocli reports naming the option (exit 1, nothing written). */
final class Converters {
    private Converters() {}

    /** 64 hex digits. */
    static final class HashConverter implements ITypeConverter<Hash> {
        @Override public Hash convert(String value) {
            try {
                return Hash.parse(value);
            } catch (QuireException e) {
                throw new TypeConversionException(e.reason());
            }
        }
    }

    /** {@code sync}, {@code none} or {@code interval=<ms>}. */
    static final class DurabilityConverter implements ITypeConverter<Durability> {
        @Override public Durability convert(String value) {
            try {
                return Durability.parse(value);
            } catch (QuireException e) {
                throw new TypeConversionException(e.reason());
            }
        }
    }

    /** A numeric {@link LedgerSettings.Key}, checked exactly as its env variable and quire.yaml value are. */
    abstract static class SettingConverter<T> implements ITypeConverter<T> {
        private final LedgerSettings.Key key;

        SettingConverter(LedgerSettings.Key key) { this.key = key; }

        @SuppressWarnings("unchecked")
        @Override public T convert(String value) {
            try {
                return (T) key.parse(value);
            } catch (QuireException e) {
                throw new TypeConversionException(e.reason());
            }
        }

        static final class SegmentBytes extends SettingConverter<Long> {
            SegmentBytes() { super(LedgerSettings.Key.SEGMENT_BYTES); }
        }

        static final class WatchersPerStream extends SettingConverter<Integer> {
            WatchersPerStream() { super(LedgerSettings.Key.WATCHERS_PER_STREAM); }
        }
    }

    /** A count or sequence number: a decimal integer, 0 or more. */
    static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override public Long convert(String value) {
            long v;
            try {
                v = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (v < 0) throw new TypeConversionException("must be 0 or more, got " + value);
            return v;
        }
    }
}
