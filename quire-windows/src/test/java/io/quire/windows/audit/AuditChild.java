package io.quire.windows.audit;

import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for the audit tests: {@code spool DIR N} appends N records (one fsync each) to a
 * fresh spool, printing {@code acked <i>} after each is durable, then waits to be killed.
 */
public final class AuditChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        AuditSpool s = AuditSpool.create(dir);
        System.out.println("spool " + s.name());
        System.out.flush();
        for (int i = 0; i < n; i++) {
            s.append(List.of(new AuditRecord("clear", "child", "{\"i\":" + i + "}")));
            System.out.println("acked " + i);
            System.out.flush();
        }
        System.out.println("done");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
