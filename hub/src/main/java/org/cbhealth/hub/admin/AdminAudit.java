package org.cbhealth.hub.admin;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit trail of admin actions (table {@code cbh_admin_audit}): who did what to which target, for which partner,
 * and how it ended, one row per action. Generic, so any admin action can write to it; no message content.
 */
@Component
public class AdminAudit {

    private final JdbcTemplate jdbc;

    public AdminAudit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String actor, String action, String target, String partnerId, String detail) {
        jdbc.update(
                "INSERT INTO cbh_admin_audit (at, actor, action, target, partner_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                Timestamp.from(Instant.now()),
                actor,
                action,
                target,
                partnerId,
                detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000));
    }

    /** The newest rows first, of one partner when {@code partnerId} is given. */
    public List<Map<String, Object>> list(String partnerId, int limit) {
        String where = partnerId == null ? "" : " WHERE partner_id = ?";
        Object[] args = partnerId == null ? new Object[0] : new Object[] {partnerId};
        return jdbc.query(
                "SELECT id, at, actor, action, target, partner_id, detail FROM cbh_admin_audit" + where
                        + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY",
                (rs, i) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("at", rs.getTimestamp("at").toInstant().toString());
                    row.put("actor", rs.getString("actor"));
                    row.put("action", rs.getString("action"));
                    row.put("target", rs.getString("target"));
                    row.put("partner", rs.getString("partner_id"));
                    row.put("detail", rs.getString("detail"));
                    return row;
                },
                args);
    }
}
