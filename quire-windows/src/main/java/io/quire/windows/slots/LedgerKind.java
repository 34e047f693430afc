package io.quire.windows.slots;

/** The two slot ledgers of a year, each a file {@code <root>/windows/<year>/<name>.slots}. */
public enum LedgerKind {
    TRADE(1, "trade", 4),
    ENRICHMENT(2, "enrichment", 7);

    private final int code;
    private final String fileName;
    private final int slotsPerRow;

    LedgerKind(int code, String fileName, int slotsPerRow) {
        this.code = code;
        this.fileName = fileName;
        this.slotsPerRow = slotsPerRow;
    }

    /** The u32 stored in the file header. */
    public int code() { return code; }

    /** {@code trade} or {@code enrichment}: the file's base name and the CLI's {@code --ledger}. */
    public String fileName() { return fileName; }

    public int slotsPerRow() { return slotsPerRow; }

    public int rowBytes() { return slotsPerRow * SlotLayout.SLOT_BYTES; }

    static LedgerKind ofCode(int code) {
        for (LedgerKind k : values()) if (k.code == code) return k;
        return null;
    }
}
