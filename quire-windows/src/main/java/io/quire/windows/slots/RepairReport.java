package io.quire.windows.slots;

import java.util.List;

/**
 * Repairs made by a scan (on open after an unclean shutdown, or by {@code verifyAndRepair}).
 *
 * @param scanned       whether a scan ran (open skips it after a clean shutdown)
 * @param slotsScanned  slots examined
 * @param repairs       how many slots were repaired
 * @param records       the first {@link SlotLimits#REPAIRS_LISTED_MAX} repairs
 * @param skippedBusy   odd slots left alone because their writer is alive (only possible when
 *                      another process has the file open)
 */
public record RepairReport(boolean scanned, long slotsScanned, long repairs, List<RepairRecord> records, long skippedBusy) {
    public static final RepairReport NONE = new RepairReport(false, 0, 0, List.of(), 0);
}
