package io.quire.windows.slots;

/**
 * A slot's state ({@code status u8}). The codes are stored: EMPTY is 0 so that a never-touched
 * (zero, sparse) slot is Empty.
 *
 * <ul>
 *   <li>EMPTY: never touched (or cleared while it was still Empty).</li>
 *   <li>PENDING: a worker claimed the window and is sourcing the payload.</li>
 *   <li>FILLED: the payload is durable in its mapping file and ready downstream.</li>
 *   <li>CLEARED: intentionally blank, awaiting a refill (an operator clear, or a crash repair).</li>
 * </ul>
 */
public enum SlotStatus {
    EMPTY(0), PENDING(1), FILLED(2), CLEARED(3);

    private static final SlotStatus[] BY_CODE = values();

    private final int code;

    SlotStatus(int code) { this.code = code; }

    public int code() { return code; }

    /** The status for a stored code, or null when the byte is not a status. */
    public static SlotStatus ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    static {
        for (int i = 0; i < BY_CODE.length; i++)
            if (BY_CODE[i].code != i) throw new IllegalStateException("bad math in SlotStatus: code " + BY_CODE[i].code + " at ordinal " + i);
    }
}
