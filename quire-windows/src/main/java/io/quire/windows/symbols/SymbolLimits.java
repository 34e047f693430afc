package io.quire.windows.symbols;

/**
 * The limits of a {@link SymbolMap}, each named with its unit and tested at {@code max} and
 * {@code max + 1}.
 */
public final class SymbolLimits {
    private SymbolLimits() {}

    /**
     * Symbols per year (the seed's hard-coded guard): ids are {@code 0..SYMBOLS_PER_YEAR_MAX-1}.
     * The slot matrix allocates one row per possible id, so this bounds its file size too.
     */
    public static final int SYMBOLS_PER_YEAR_MAX = 10_000;
    /** The longest symbol, in bytes (printable ASCII, so also in characters). */
    public static final int SYMBOL_BYTES_MAX = 64;
    /**
     * Symbols appended by one {@link SymbolMap#resolveAll} call (one write, one fsync). It also
     * bounds the bytes one crash can tear, which is how open tells a torn tail from corruption.
     */
    public static final int SYMBOLS_PER_BATCH_MAX = 1024;

    static {
        // Ids are u16 on disk and in the slot matrix.
        if (SYMBOLS_PER_YEAR_MAX > 0xFFFF + 1) throw new ExceptionInInitializerError("symbol ids must fit a u16");
        // The length is a u8 on disk.
        if (SYMBOL_BYTES_MAX > 0xFF) throw new ExceptionInInitializerError("symbol length must fit a u8");
        if (SYMBOLS_PER_BATCH_MAX > SYMBOLS_PER_YEAR_MAX) throw new ExceptionInInitializerError("batch larger than the cap");
    }
}
