package org.cbhealth.bench.faults;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What the checker reads of the hub after the run, from outside as an auditor would: the hub's PostgreSQL database
 * (the referral keys in {@code cbh_referral_key}, the HAPI Task resources indexed under each referrer's number, the
 * parked store {@code cbh_parked_message} when the hub has it) and the standalone broker (the {@code hub.parked}
 * queue when there is no parked store, the {@code DLQ}).
 */
final class HubStateReader {

    /** One parked message: where it was counted, its partner, and the MSH-10 of its raw body. */
    record Parked(String source, String partner, String placer) {}

    /** Everything read. */
    record HubState(
            Map<String, String> referralKeys,
            Map<String, Integer> tasksPerNumber,
            List<Parked> parked,
            String parkedSource,
            List<String> deadLetters) {}

    static final String PARKED_TABLE = "cbh_parked_message";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String brokerUrl;

    HubStateReader(String jdbcUrl, String user, String password, String brokerUrl) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.brokerUrl = brokerUrl;
    }

    /** Reads the state for the referrals whose numbers start with {@code placerPrefix}. */
    HubState read(String placerPrefix, String parkedQueue) throws SQLException, JMSException {
        Map<String, String> keys = new HashMap<>();
        Map<String, Integer> tasks = new HashMap<>();
        List<Parked> parked = new ArrayList<>();
        String parkedSource;
        try (java.sql.Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (PreparedStatement sql = db.prepareStatement(
                    "SELECT identifier_value, task_id FROM cbh_referral_key WHERE identifier_value LIKE ?")) {
                sql.setString(1, placerPrefix + "%");
                try (ResultSet rows = sql.executeQuery()) {
                    while (rows.next()) {
                        keys.merge(rows.getString(1), rows.getString(2), (a, b) -> a + "," + b);
                    }
                }
            }
            // every Task resource not deleted that HAPI indexed under the referrer's number: more than one is a
            // duplicate in the store, whatever cbh_referral_key says
            try (PreparedStatement sql =
                    db.prepareStatement("SELECT t.sp_value, COUNT(DISTINCT t.res_id) FROM hfj_spidx_token t"
                            + " JOIN hfj_resource r ON r.res_id = t.res_id"
                            + " WHERE r.res_type = 'Task' AND r.res_deleted_at IS NULL AND t.sp_value LIKE ?"
                            + " GROUP BY t.sp_value")) {
                sql.setString(1, placerPrefix + "%");
                try (ResultSet rows = sql.executeQuery()) {
                    while (rows.next()) {
                        tasks.put(rows.getString(1), rows.getInt(2));
                    }
                }
            }
            if (tableExists(db, PARKED_TABLE)) {
                parkedSource = "table " + PARKED_TABLE;
                try (PreparedStatement sql =
                                db.prepareStatement("SELECT partner_id, raw_body, business_key FROM " + PARKED_TABLE);
                        ResultSet rows = sql.executeQuery()) {
                    while (rows.next()) {
                        // raw_body is binary (BYTEA): read as bytes, never as a string (PostgreSQL gives hex)
                        byte[] raw = rows.getBytes(2);
                        String controlId =
                                raw == null ? "" : controlId(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
                        parked.add(new Parked(
                                parkedSource,
                                rows.getString(1),
                                controlId.isEmpty() && rows.getString(3) != null ? rows.getString(3) : controlId));
                    }
                }
            } else {
                parkedSource = "queue " + parkedQueue + " (no table " + PARKED_TABLE + ")";
                for (Message m : browse(parkedQueue)) {
                    parked.add(new Parked(parkedSource, m.getStringProperty("CBHealthPartner"), controlId(text(m))));
                }
            }
        }
        List<String> deadLetters = new ArrayList<>();
        for (Message m : browse(StandaloneBroker.DEAD_LETTER)) {
            deadLetters.add(String.valueOf(m.getStringProperty("_AMQ_ORIG_ADDRESS")));
        }
        return new HubState(keys, tasks, parked, parkedSource, deadLetters);
    }

    private static boolean tableExists(java.sql.Connection db, String table) throws SQLException {
        DatabaseMetaData meta = db.getMetaData();
        try (ResultSet rows = meta.getTables(null, null, table, new String[] {"TABLE"})) {
            return rows.next();
        }
    }

    private List<Message> browse(String queue) throws JMSException {
        List<Message> messages = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
                Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            connection.start();
            Enumeration<?> all = browser.getEnumeration();
            while (all.hasMoreElements()) {
                messages.add((Message) all.nextElement());
            }
        }
        return messages;
    }

    private static String text(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof jakarta.jms.BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return "";
    }

    /** MSH-10 of an HL7 v2 message's text (the tenth field of its first segment), or "" when it has none. */
    static String controlId(String raw) {
        if (raw == null || !raw.startsWith("MSH") || raw.length() < 4) {
            return "";
        }
        String first = raw.split("[\r\n]", 2)[0];
        String separator = Character.toString(first.charAt(3));
        String[] fields = first.split(java.util.regex.Pattern.quote(separator), -1);
        return fields.length > 9 ? fields[9] : "";
    }
}
