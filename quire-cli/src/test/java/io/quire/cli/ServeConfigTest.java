package io.quire.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quire.client.Backoff;
import io.quire.client.ContextClient;
import io.quire.client.QuireChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code quire serve} settings from {@code quire.yaml} (DESIGN §8): flags > environment > the file > defaults,
 * and a bad server key in the file is exit 1 naming file, line and key, for serve and for every other command.
 */
class ServeConfigTest {
    static final String WRITER = "writer-token-0123456789";

    @TempDir Path tmp;
    CompletableFuture<Integer> running;

    @AfterEach void stop() throws Exception {
        if (ServeCommand.started != null) ServeCommand.started.close();
        if (running != null) running.get(30, TimeUnit.SECONDS);
        ServeCommand.started = null;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    void yaml(String text) throws Exception {
        assertThat(Run.in(tmp, "init").code()).isZero();
        Files.writeString(tmp.resolve("quire.yaml"), text);
    }

    /** Starts serve in-process and returns the gRPC port it printed. */
    int serve(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        List<String> all = new ArrayList<>(List.of("--dir", tmp.toString(), "serve"));
        all.addAll(List.of(args));
        running = CompletableFuture.supplyAsync(() -> QuireCli.run(io, all.toArray(String[]::new)));
        Pattern p = Pattern.compile("gRPC on 127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (running.isDone()) throw new AssertionError("serve exited " + running.get() + ": " + err);
            Thread.sleep(20);
        }
        throw new AssertionError("serve did not start: " + out + " / " + err);
    }

    @Test
    void shouldTakeServerSettingsFromQuireYamlBelowEnvironmentAndFlags() throws Exception {
        int filePort = freePort();
        yaml("grpc_port: " + filePort + "\nhttp_port: -1\ntokens: \"writer:" + WRITER + "\"\ndurability: none\n");
        assertThat(serve(Map.of())).isEqualTo(filePort);
        ManagedChannel ch = QuireChannels.plaintext("127.0.0.1", filePort);
        try (ContextClient none = new ContextClient(ch); ContextClient writer = new ContextClient(ch, WRITER)) {
            try {
                none.withCallBackoff(Backoff.none()).get("c", "", 0, 0);
                throw new AssertionError("tokens from quire.yaml were not applied");
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            }
            assertThat(writer.append("c", "k", new byte[] {1}).getSequence()).isEqualTo(1);
        } finally {
            ch.shutdownNow();
        }
        stop();

        int envPort = freePort();
        assertThat(serve(Map.of("GRPC_PORT", Integer.toString(envPort)))).isEqualTo(envPort);
        stop();
        int flagPort = freePort();
        assertThat(serve(Map.of("GRPC_PORT", Integer.toString(envPort)), "--grpc-port", Integer.toString(flagPort)))
                .isEqualTo(flagPort);
    }

    @Test
    void shouldRefuseABadServerValueInQuireYamlNamingFileLineAndKey() throws Exception {
        yaml("durability: sync\ngrpc_port: 70000\n");
        String file = tmp.resolve("quire.yaml").toAbsolutePath().normalize().toString();
        Run serve = Run.in(tmp, "serve");
        assertThat(serve.code()).as(serve.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(serve.err()).contains("config file " + file + ", line 2, key 'grpc_port'").contains("0..65535");
        // every command checks the whole file, even one that does not serve
        Run read = Run.in(tmp, "read", "s");
        assertThat(read.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(read.err()).contains("line 2, key 'grpc_port'");
        // a flag does not hide a bad file value either
        Run flag = Run.in(tmp, "serve", "--grpc-port", "0", "--http-port", "-1");
        assertThat(flag.code()).isEqualTo(ExitCodes.USAGE);

        Files.writeString(tmp.resolve("quire.yaml"), "tokens: \"boss:" + WRITER + "\"\n");
        Run role = Run.in(tmp, "serve");
        assertThat(role.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(role.err()).contains("line 1, key 'tokens'");
        Files.writeString(tmp.resolve("quire.yaml"), "http_port: [1]\n");
        Run list = Run.in(tmp, "serve");
        assertThat(list.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err()).contains("line 1, key 'http_port'").contains("a list");
        Files.writeString(tmp.resolve("quire.yaml"), "grpc_port: 1\ngrpc_port: 2\n");
        assertThat(Run.in(tmp, "serve").err()).contains("line 2, key 'grpc_port'").contains("given twice");
        Files.writeString(tmp.resolve("quire.yaml"), "grpcport: 1\n");
        assertThat(Run.in(tmp, "serve").err()).contains("unknown key").contains("grpc_port");
        Files.writeString(tmp.resolve("quire.yaml"), "watchers_max: lots\n");
        assertThat(Run.in(tmp, "serve").err()).contains("line 1, key 'watchers_max'");
        // the environment names itself
        Files.writeString(tmp.resolve("quire.yaml"), "");
        Run env = Run.raw(Map.of("GRPC_PORT", "x"), new byte[0], "--dir", tmp.toString(), "serve");
        assertThat(env.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(env.err()).contains("environment variable GRPC_PORT");
    }
}
