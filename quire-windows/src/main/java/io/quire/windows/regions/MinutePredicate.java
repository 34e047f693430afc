package io.quire.windows.regions;

/** A test on one window, without boxing: e.g. "this column of this row is Filled". */
@FunctionalInterface
public interface MinutePredicate {
    boolean test(int symbolId, int minuteIdx);
}
