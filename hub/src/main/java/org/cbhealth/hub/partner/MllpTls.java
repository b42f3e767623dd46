package org.cbhealth.hub.partner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The {@code tls} setting of an MLLP channel (inbound: the hub's server certificate and, with {@code clientAuth},
 * the certificates it trusts; outbound: the certificates the hub trusts and its client certificate), checked when
 * the partner file is read and turned into camel-mllp's {@link SSLContextParameters} when the route is created.
 * Store passwords are never written in the file: {@code {env: VAR}} or {@code {file: /abs/path}}, as
 * {@code credentials}.
 */
public final class MllpTls {

    public static final String TLS = "tls";

    private static final Set<String> INBOUND_KEYS = Set.of(
            "keyStore",
            "keyStorePassword",
            "keyStoreType",
            "trustStore",
            "trustStorePassword",
            "trustStoreType",
            "clientAuth",
            "clientSubject");
    private static final Set<String> OUTBOUND_KEYS = Set.of(
            "keyStore", "keyStorePassword", "keyStoreType", "trustStore", "trustStorePassword", "trustStoreType");
    private static final Set<String> CLIENT_AUTH = Set.of("none", "want", "required");
    private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]*");

    private MllpTls() {}

    /** Whether the settings ask for TLS. */
    public static boolean enabled(Map<String, Object> settings) {
        return settings.get(TLS) instanceof Map<?, ?>;
    }

    /** The subject the client certificate of an inbound channel must have, or null. */
    public static String clientSubject(Map<String, Object> settings) {
        return settings.get(TLS) instanceof Map<?, ?> tls && tls.get("clientSubject") != null
                ? String.valueOf(tls.get("clientSubject"))
                : null;
    }

    /**
     * The problems of a channel's {@code tls} setting, each as {@code field: reason} relative to {@code at}; empty
     * when there is none or it is fine.
     *
     * @param inbound true for an inbound channel (the hub is the server), false for the outbound one
     */
    public static List<String[]> problems(Map<String, Object> settings, String at, boolean inbound) {
        List<String[]> problems = new ArrayList<>();
        Object node = settings.get(TLS);
        if (node == null) {
            return problems;
        }
        String t = at + "." + TLS;
        if (!(node instanceof Map<?, ?> tls)) {
            problems.add(new String[] {t, "must be a mapping (keyStore, keyStorePassword, trustStore, ...)"});
            return problems;
        }
        Set<String> allowed = inbound ? INBOUND_KEYS : OUTBOUND_KEYS;
        for (Object key : tls.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                problems.add(new String[] {
                    t + "." + key,
                    "unknown key; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList())
                });
            }
        }
        String clientAuth = tls.get("clientAuth") == null ? "none" : String.valueOf(tls.get("clientAuth"));
        if (!CLIENT_AUTH.contains(clientAuth)) {
            problems.add(new String[] {t + ".clientAuth", "'" + clientAuth + "' is not one of none, want, required"});
        }
        boolean keyStoreRequired = inbound;
        boolean trustStoreRequired = inbound && (clientAuth.equals("want") || clientAuth.equals("required"));
        store(tls, "keyStore", t, keyStoreRequired, problems);
        store(tls, "trustStore", t, trustStoreRequired, problems);
        if (tls.get("clientSubject") != null) {
            if (!clientAuth.equals("required")) {
                problems.add(new String[] {
                    t + ".clientSubject", "binds the client certificate: give clientAuth: required with it"
                });
            }
            try {
                new X500Principal(String.valueOf(tls.get("clientSubject")));
            } catch (IllegalArgumentException e) {
                problems.add(new String[] {
                    t + ".clientSubject",
                    "'" + tls.get("clientSubject")
                            + "' is not a distinguished name (e.g. CN=his.example.org,O=Hospital)"
                });
            }
        }
        return problems;
    }

    /** A key or trust store: an absolute path of a readable file, its password as {env} or {file}. */
    private static void store(Map<?, ?> tls, String name, String at, boolean required, List<String[]> problems) {
        Object path = tls.get(name);
        Object password = tls.get(name + "Password");
        if (path == null) {
            if (required) {
                problems.add(new String[] {at + "." + name, "required"});
            }
            if (password != null) {
                problems.add(new String[] {at + "." + name + "Password", "given without " + name});
            }
            return;
        }
        Path file = Path.of(String.valueOf(path));
        if (!file.isAbsolute()) {
            problems.add(new String[] {at + "." + name, "'" + path + "' must be an absolute path"});
        } else if (!Files.isReadable(file)) {
            problems.add(new String[] {at + "." + name, "'" + path + "' is not a readable file"});
        }
        String p = at + "." + name + "Password";
        if (password == null) {
            problems.add(new String[] {p, "required: {env: VARIABLE} or {file: /absolute/path}"});
        } else if (!(password instanceof Map<?, ?> secret)) {
            problems.add(new String[] {
                p,
                "a secret must not be written in a partner file: reference an environment variable (env) or a"
                        + " secret file (file)"
            });
        } else {
            Object env = secret.get("env");
            Object secretFile = secret.get("file");
            if (secret.size() != 1 || (env == null) == (secretFile == null)) {
                problems.add(
                        new String[] {p, "give exactly one of env (an environment variable) or file (a secret file)"});
            } else if (env != null && !ENV.matcher(String.valueOf(env)).matches()) {
                problems.add(new String[] {p + ".env", "'" + env + "' is not an environment variable name"});
            } else if (secretFile != null
                    && !Path.of(String.valueOf(secretFile)).isAbsolute()) {
                problems.add(new String[] {p + ".file", "'" + secretFile + "' must be an absolute path"});
            }
        }
        Object type = tls.get(name + "Type");
        if (type != null
                && !Set.of("PKCS12", "JKS").contains(String.valueOf(type).toUpperCase(Locale.ROOT))) {
            problems.add(new String[] {at + "." + name + "Type", "'" + type + "' is not PKCS12 or JKS"});
        }
    }

    /**
     * The TLS parameters of a channel whose settings were checked by {@link #problems}; the passwords are read
     * now, from the environment or their files.
     *
     * @throws IllegalStateException when a password's variable is not set or its file cannot be read
     */
    public static SSLContextParameters parameters(Map<String, Object> settings, boolean inbound) {
        Map<?, ?> tls = (Map<?, ?>) settings.get(TLS);
        SSLContextParameters parameters = new SSLContextParameters();
        if (tls.get("keyStore") != null) {
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(keyStore(tls, "keyStore"));
            keys.setKeyPassword(secret(tls.get("keyStorePassword"), "tls.keyStorePassword"));
            parameters.setKeyManagers(keys);
        }
        if (tls.get("trustStore") != null) {
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(keyStore(tls, "trustStore"));
            parameters.setTrustManagers(trust);
        }
        if (inbound) {
            SSLContextServerParameters server = new SSLContextServerParameters();
            String clientAuth = tls.get("clientAuth") == null ? "none" : String.valueOf(tls.get("clientAuth"));
            server.setClientAuthentication(
                    switch (clientAuth) {
                        case "required" -> ClientAuthentication.REQUIRE.name();
                        case "want" -> ClientAuthentication.WANT.name();
                        default -> ClientAuthentication.NONE.name();
                    });
            parameters.setServerParameters(server);
        }
        return parameters;
    }

    private static KeyStoreParameters keyStore(Map<?, ?> tls, String name) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + tls.get(name));
        store.setPassword(secret(tls.get(name + "Password"), "tls." + name + "Password"));
        store.setType(
                tls.get(name + "Type") == null
                        ? "PKCS12"
                        : String.valueOf(tls.get(name + "Type")).toUpperCase(Locale.ROOT));
        return store;
    }

    private static String secret(Object node, String field) {
        Map<?, ?> secret = (Map<?, ?>) node;
        if (secret.get("env") != null) {
            String value = System.getenv(String.valueOf(secret.get("env")));
            if (value == null) {
                throw new IllegalStateException(field + ": environment variable " + secret.get("env") + " is not set");
            }
            return value;
        }
        try {
            return Files.readString(Path.of(String.valueOf(secret.get("file")))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(field + ": cannot read " + secret.get("file"), e);
        }
    }
}
