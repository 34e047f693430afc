package io.quire.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.AppendResponse;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.GetRequest;
import io.quire.api.context.v1.GetResponse;
import io.quire.api.context.v1.LoadRequest;
import io.quire.api.context.v1.LoadResponse;
import io.quire.api.context.v1.SnapshotMetadata;
import io.quire.api.context.v1.SnapshotRequest;
import io.quire.api.context.v1.SnapshotResponse;
import io.quire.api.context.v1.WatchEvent;
import io.quire.api.context.v1.WatchRequest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Converge wire contract of DESIGN §4, field by field: a renumbering fails here. */
class WireContractTest {

    private static Map<Integer, String> fields(Descriptor d) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (FieldDescriptor f : d.getFields()) m.put(f.getNumber(), f.getName() + ":" + typeOf(f));
        return m;
    }

    private static String typeOf(FieldDescriptor f) {
        if (f.isMapField()) return "map";
        String t = f.getType().name().toLowerCase(java.util.Locale.ROOT);
        return f.isRepeated() ? "repeated " + t : t;
    }

    @Test
    void shouldKeepConvergeFieldNumbersAndTypes() {
        assertThat(fields(Entry.getDescriptor())).containsAllEntriesOf(Map.of(
                1, "id:string", 2, "key:string", 3, "payload:bytes", 4, "sequence:uint64", 5, "appended_at_ns:uint64", 6, "metadata:map"));
        assertThat(fields(AppendRequest.getDescriptor())).containsAllEntriesOf(Map.of(
                1, "context_id:string", 2, "key:string", 3, "payload:bytes", 4, "metadata:map"));
        assertThat(fields(AppendResponse.getDescriptor())).isEqualTo(Map.of(1, "entry:message"));
        assertThat(fields(GetRequest.getDescriptor())).isEqualTo(Map.of(
                1, "context_id:string", 2, "key:string", 3, "after_sequence:uint64", 4, "limit:uint32"));
        assertThat(fields(GetResponse.getDescriptor())).isEqualTo(Map.of(1, "entries:repeated message", 2, "latest_sequence:uint64"));
        assertThat(fields(SnapshotRequest.getDescriptor())).isEqualTo(Map.of(1, "context_id:string"));
        assertThat(fields(SnapshotResponse.getDescriptor())).containsAllEntriesOf(Map.of(
                1, "snapshot:bytes", 2, "sequence:uint64", 3, "metadata:message"));
        assertThat(fields(SnapshotMetadata.getDescriptor())).isEqualTo(Map.of(
                1, "created_at_ns:uint64", 2, "entry_count:uint64", 3, "version:uint32"));
        assertThat(fields(LoadRequest.getDescriptor())).isEqualTo(Map.of(1, "context_id:string", 2, "snapshot:bytes", 3, "fail_if_exists:bool"));
        assertThat(fields(LoadResponse.getDescriptor())).isEqualTo(Map.of(1, "entries_restored:uint64", 2, "latest_sequence:uint64"));
        assertThat(fields(WatchRequest.getDescriptor())).isEqualTo(Map.of(1, "context_id:string", 2, "key:string", 3, "from_sequence:uint64"));
        assertThat(fields(WatchEvent.getDescriptor())).isEqualTo(Map.of(1, "entry:message"));
    }

    @Test
    void shouldPutQuireAdditionsInNewFieldNumbersOnly() {
        assertThat(fields(Entry.getDescriptor())).containsAllEntriesOf(Map.of(
                7, "hash:bytes", 8, "prev_hash:bytes", 9, "position:uint64", 10, "lamport:uint64")).hasSize(10);
        assertThat(fields(AppendRequest.getDescriptor())).containsAllEntriesOf(Map.of(5, "id:string", 6, "lamport:uint64")).hasSize(6);
        assertThat(fields(SnapshotResponse.getDescriptor())).containsAllEntriesOf(Map.of(
                4, "merkle_root:bytes", 5, "checkpoint:string")).hasSize(5);
    }

    @Test
    void shouldNameServiceAndMethodsAsConverge() {
        assertThat(ContextServiceGrpc.SERVICE_NAME).isEqualTo("converge.context.v1.ContextService");
        var methods = ContextServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(m -> m.getBareMethodName() + ":" + m.getType()).collect(Collectors.toSet());
        assertThat(methods).containsExactlyInAnyOrder("Append:UNARY", "Get:UNARY", "Snapshot:UNARY", "Load:UNARY", "Watch:SERVER_STREAMING");
        assertThat(Entry.getDescriptor().getFile().getPackage()).isEqualTo("converge.context.v1");
    }

    @Test
    void shouldDecodeBytesOfAnOldConvergeClient() throws Exception {
        // An old client's AppendRequest (fields 1..4 only) decodes with the new fields at defaults.
        AppendRequest old = AppendRequest.newBuilder().setContextId("root-intent-1").setKey("facts")
                .setPayload(com.google.protobuf.ByteString.copyFromUtf8("x")).putMetadata("agent_id", "a").build();
        AppendRequest back = AppendRequest.parseFrom(old.toByteArray());
        assertThat(back.getId()).isEmpty();
        assertThat(back.getLamport()).isZero();
        assertThat(back.getMetadataMap()).containsEntry("agent_id", "a");
    }
}
