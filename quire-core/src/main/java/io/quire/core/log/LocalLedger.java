package io.quire.core.log;

import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;

import java.nio.file.Path;

/** The ledger on local files. TODO(core): being written. */
public final class LocalLedger {
    private LocalLedger() {}

    public static void init(Path dir) { throw new UnsupportedOperationException("not yet"); }

    public static Ledger open(Path dir, LedgerOptions options) { throw new UnsupportedOperationException("not yet"); }
}
