package org.cbhealth.hub.directory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The table of directory records each partner has sent ({@code cbh_directory_record}). */
@Component
public class DirectoryRecords {

    /** A record's key: the resource type and the partner's own id for it. */
    public record Key(String resourceType, String localId) {
        @Override
        public String toString() {
            return resourceType + "/" + localId;
        }
    }

    /** What the hub holds of a record. */
    public record Held(String hubId, String channel, String contentHash, boolean active, long version) {}

    private final JdbcTemplate jdbc;

    public DirectoryRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every record of the partner. */
    public Map<Key, Held> of(String partnerId) {
        Map<Key, Held> held = new HashMap<>();
        jdbc.query(
                "SELECT resource_type, local_id, hub_id, channel, content_hash, active, version"
                        + " FROM cbh_directory_record WHERE partner_id = ?",
                rs -> {
                    held.put(
                            new Key(rs.getString(1), rs.getString(2)),
                            new Held(
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getBoolean(6),
                                    rs.getLong(7)));
                },
                partnerId);
        return held;
    }

    /** Inserts or replaces a record, inside the caller's transaction. */
    public void put(String partnerId, Key key, Held held, long batchId) {
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update(
                "UPDATE cbh_directory_record SET hub_id = ?, channel = ?, content_hash = ?, active = ?, version = ?,"
                        + " batch_id = ?, updated_at = ? WHERE partner_id = ? AND resource_type = ? AND local_id = ?",
                held.hubId(),
                held.channel(),
                held.contentHash(),
                held.active(),
                held.version(),
                batchId,
                now,
                partnerId,
                key.resourceType(),
                key.localId());
        if (updated == 0) {
            jdbc.update(
                    "INSERT INTO cbh_directory_record (partner_id, resource_type, local_id, hub_id, channel,"
                            + " content_hash, active, version, batch_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    partnerId,
                    key.resourceType(),
                    key.localId(),
                    held.hubId(),
                    held.channel(),
                    held.contentHash(),
                    held.active(),
                    held.version(),
                    batchId,
                    now);
        }
    }
}
