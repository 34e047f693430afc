package io.quire.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SQLite through JDBC (xerial sqlite-jdbc), the store a user would pick instead. Schema:
 * {@code entries(pos INTEGER PRIMARY KEY, stream TEXT, seq INTEGER, ts INTEGER, payload BLOB,
 * UNIQUE(stream, seq))}. The seq is assigned inside the INSERT (max+1 of the stream), so separate
 * and shared streams use the same statement and the same locking. No hash chain is computed on
 * this side (SQLite's advantage; Quire hashes every entry with SHA-256).
 *
 * <p>journal_mode=WAL; synchronous=FULL when durable (W1–W4), OFF when building (W6 build).
 * Every writer has its own connection, so concurrent writers are serialized by SQLite's own write
 * lock (busy_timeout 120 s) — that is the behaviour a user gets.
 */
public final class SqliteBackend implements Backend {
    private static final String INSERT_NEXT =
            "INSERT INTO entries(stream, seq, ts, payload) "
            + "SELECT ?, coalesce(max(seq), 0) + 1, ?, ? FROM entries WHERE stream = ?";

    private final String url;
    private final boolean durable;
    private final Connection main;

    private SqliteBackend(Path file, boolean durable) throws SQLException {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.durable = durable;
        this.main = connect();
        try (Statement s = main.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS entries(pos INTEGER PRIMARY KEY, stream TEXT NOT NULL, "
                    + "seq INTEGER NOT NULL, ts INTEGER NOT NULL, payload BLOB NOT NULL, UNIQUE(stream, seq))");
        }
    }

    /** Opens (creating if needed) the database file. */
    public static SqliteBackend open(Path file, boolean durable) throws SQLException { return new SqliteBackend(file, durable); }

    public static String settings(boolean durable) {
        return durable ? "WAL, synchronous=FULL" : "WAL, synchronous=OFF (build only)";
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=120000");
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                if (!rs.next() || !rs.getString(1).equalsIgnoreCase("wal")) throw new SQLException("journal_mode=WAL refused");
            }
            s.execute("PRAGMA synchronous=" + (durable ? "FULL" : "OFF"));
        }
        return c;
    }

    @Override public String system() { return "sqlite"; }

    @Override public Appender appender(String stream) throws SQLException {
        Connection c = connect();
        PreparedStatement ps = c.prepareStatement(INSERT_NEXT);
        return new Appender() {
            @Override public void append(byte[] payload) throws SQLException {
                ps.setString(1, stream);
                ps.setLong(2, System.currentTimeMillis() * 1_000_000L);
                ps.setBytes(3, payload);
                ps.setString(4, stream);
                if (ps.executeUpdate() != 1) throw new SQLException("insert did not insert");
            }

            @Override public void close() throws SQLException {
                ps.close();
                c.close();
            }
        };
    }

    @Override public void appendBatch(String stream, List<byte[]> payloads) throws SQLException {
        main.setAutoCommit(false);
        try {
            long seq;
            try (PreparedStatement q = main.prepareStatement("SELECT coalesce(max(seq), 0) FROM entries WHERE stream = ?")) {
                q.setString(1, stream);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = main.prepareStatement("INSERT INTO entries(stream, seq, ts, payload) VALUES (?, ?, ?, ?)")) {
                long ts = System.currentTimeMillis() * 1_000_000L;
                for (byte[] p : payloads) {
                    ps.setString(1, stream);
                    ps.setLong(2, ++seq);
                    ps.setLong(3, ts);
                    ps.setBytes(4, p);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            main.commit();
        } catch (SQLException | RuntimeException e) {
            main.rollback();
            throw e;
        } finally {
            main.setAutoCommit(true);
        }
    }

    private PreparedStatement page;

    @Override public int readPage(String stream, long afterSeq, int limit) throws SQLException {
        if (page == null) {
            page = main.prepareStatement("SELECT pos, seq, ts, payload FROM entries WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?");
        }
        page.setString(1, stream);
        page.setLong(2, afterSeq);
        page.setInt(3, limit);
        int n = 0;
        long sink = 0;
        try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
                sink += rs.getLong(1) + rs.getLong(2) + rs.getLong(3);
                byte[] p = rs.getBytes(4);
                sink += p.length;
                n++;
            }
        }
        if (sink == 42) System.out.print("");   // keep the reads observable
        return n;
    }

    @Override public void close() throws SQLException {
        if (page != null) page.close();
        main.close();
    }
}
