package io.quire.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The harness's nats-server child: listens on the port it reports, and close() leaves no process behind. */
class NatsServerTest {

    @Test
    void startsOnAFreeLoopbackPortAndCloseKillsIt(@TempDir Path dir) throws Exception {
        Path bin = NatsServer.findBinary();
        assumeTrue(bin != null, "nats-server is not on PATH");
        NatsServer s = NatsServer.start(bin, dir.resolve("store"));
        long pid = s.pid();
        try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            assertThat(sock.isConnected()).isTrue();
        }
        assertThat(s.url()).isEqualTo("nats://127.0.0.1:" + s.port());
        assertThat(s.version()).contains("v2.");
        s.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("nats-server pid %d alive after close", pid).isFalse();
        s.close(); // idempotent
    }

    @Test
    void aBinaryThatExitsAtOnceIsAClearError(@TempDir Path dir) {
        // /bin/false exits before listening: every attempt fails and the error names the port and the exit code
        Path fals = Path.of("/bin/false");
        assumeTrue(fals.toFile().canExecute(), "/bin/false missing");
        assertThatThrownBy(() -> NatsServer.start(fals, dir.resolve("store")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("exited with code 1 before listening on port");
    }
}
