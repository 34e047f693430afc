package io.quire.windows.slots;

/** Receives rows from {@code iterSymbol} / {@code iterMinute}; return false to stop. */
@FunctionalInterface
public interface RowVisitor {
    /**
     * @param row a flyweight reused for every row of the walk: read it here, do not keep it
     *            (use {@link RowCursor#view} to keep a slot)
     */
    boolean visit(RowCursor row);
}
