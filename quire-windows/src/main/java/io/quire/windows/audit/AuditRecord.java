package io.quire.windows.audit;

import io.quire.core.QuireException;

import java.nio.charset.StandardCharsets;

/**
 * One audit event as it is spooled and then appended to the core stream {@code windows/audit}:
 * the entry key is {@code type} ({@code clear}, {@code clear_request}, {@code repair},
 * {@code region_add}, {@code region_rm}, {@code treasury_revision}), the payload is
 * {@code json} (UTF-8, one object whose fields docs/FORMAT.md lists), and the entry metadata
 * holds {@code operator}.
 */
public record AuditRecord(String type, String operator, String json) {
    public AuditRecord {
        if (type == null || type.isEmpty() || type.length() > AuditLimits.TYPE_BYTES_MAX || !type.chars().allMatch(c -> c >= 'a' && c <= 'z' || c == '_'))
            throw QuireException.invalid("audit type '" + type + "' must be 1.." + AuditLimits.TYPE_BYTES_MAX + " of [a-z_]");
        if (operator == null || operator.isEmpty() || operator.getBytes(StandardCharsets.UTF_8).length > AuditLimits.OPERATOR_BYTES_MAX)
            throw QuireException.invalid("operator must be 1.." + AuditLimits.OPERATOR_BYTES_MAX + " bytes of UTF-8");
        if (json == null || json.getBytes(StandardCharsets.UTF_8).length > AuditLimits.PAYLOAD_BYTES_MAX)
            throw QuireException.invalid("audit payload must be at most " + AuditLimits.PAYLOAD_BYTES_MAX + " bytes (PAYLOAD_BYTES_MAX)");
    }
}
