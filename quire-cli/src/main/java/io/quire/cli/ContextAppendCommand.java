package io.quire.cli;

import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.Entry;
import io.quire.context.ContextLimits;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "append", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Append stdin (or --data) as one entry to CONTEXT on the server. Prints, once the server",
                "made it durable: <sequence> <position> <hash-hex>. With --id the append is idempotent: the same",
                "id with the same content returns the stored entry; without it the client sends a random id,",
                "so its own retries never write twice."},
        footerHeading = "%nExamples:%n",
        footer = {"  echo '{\"n\":1}' | quire context append run-42 --key facts",
                "  quire context append run-42 --data hello --id step-1 --json",
                "  QUIRE_SERVER=db1:50051 QUIRE_TOKEN=$(cat writer.token) quire context append run-42 < fact.json"})
final class ContextAppendCommand extends ContextBase {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "Context id (1..251 bytes UTF-8, no NUL).")
    String context;

    @Option(names = "--data", paramLabel = "TEXT", description = "The payload as UTF-8 text instead of stdin. Default: read stdin.")
    String data;

    @Option(names = "--key", paramLabel = "K", description = "Filter label, 0.." + Limits.KEY_BYTES_MAX + " bytes. Default: empty.")
    String key = "";

    @Option(names = "--id", paramLabel = "ID", description = "Idempotency id, 1.." + Limits.ID_BYTES_MAX + " bytes. Default: a random UUID.")
    String id;

    @Option(names = "--meta", paramLabel = "KEY=VALUE",
            description = "Metadata entry; repeatable (at most " + ContextLimits.CLIENT_METADATA_ENTRIES_MAX + "). Default: none.")
    List<String> metaArgs = new ArrayList<>();

    @Option(names = "--lamport", paramLabel = "N",
            description = "The caller's Lamport clock; the context's becomes max(its own, N)+1. Default: 0 = none.")
    long lamport;

    @Override
    public Integer call() {
        server.check(io().env());
        if (id != null && id.isEmpty()) throw new CliUsageException("--id: must not be empty (leave it out for a random id)");
        if (lamport < 0 || lamport > ContextLimits.LAMPORT_MAX) {
            throw new CliUsageException("--lamport: must be 0.." + ContextLimits.LAMPORT_MAX + ", got " + lamport);
        }
        Map<String, String> meta = AppendCommand.parseMeta(metaArgs);
        byte[] payload;
        if (data != null) {
            payload = data.getBytes(StandardCharsets.UTF_8);
            if (payload.length > Limits.PAYLOAD_BYTES_MAX) {
                throw QuireException.invalid("--data is over " + Limits.PAYLOAD_BYTES_MAX
                        + " bytes, the largest payload (PAYLOAD_BYTES_MAX); nothing was sent");
            }
        } else {
            payload = AppendCommand.readPayload(io().in());
        }
        AppendRequest.Builder req = AppendRequest.newBuilder().setContextId(context).setKey(key)
                .setPayload(com.google.protobuf.ByteString.copyFrom(payload)).putAllMetadata(meta).setLamport(lamport);
        if (id != null) req.setId(id);
        Entry e = withClient(c -> c.append(req.build()));
        println(json ? Json.line(entryJson(context, e, false)) : appendedLine(e));
        return ExitCodes.OK;
    }
}
