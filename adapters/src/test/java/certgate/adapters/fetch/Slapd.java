package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A throwaway OpenLDAP {@code slapd} for the LDAP distribution point tests: its own configuration and database
 * under a temporary directory, on a random loopback port, started as a child process and stopped by its PID in
 * {@link #close()}; never the system's instance. The directory holds, under {@code dc=example,dc=net}:
 *
 * <pre>
 * cn=Example Issuing CA     a CA entry with the CRL in certificateRevocationList;binary
 * cn=No CRL CA              a CA entry without that attribute
 * cn=reader                 a user with the password {@link #READER_PASSWORD}
 * cn=Private CA,ou=private  the CRL again, readable only by cn=reader (anonymous binds do not see the entry)
 * </pre>
 *
 * {@link #startTls} serves the same directory over {@code ldaps://} only, with a certificate from a {@link
 * TlsFixture} (slapd.conf's TLSCertificateFile and TLSCertificateKeyFile).
 *
 * <p>Where {@code slapd} is not installed, tests that need it are skipped with one line on stderr saying how to get
 * it; with {@code CI=true} (as {@code .ci/run} sets, after installing it) its absence fails them instead, as for
 * {@code certgate.adapters.cli.OpenSsl}.
 */
public final class Slapd implements AutoCloseable {
    static final String SLAPD = "/usr/sbin/slapd";
    static final String SLAPADD = "/usr/sbin/slapadd";
    public static final String SUFFIX = "dc=example,dc=net";
    public static final String CA_DN = "cn=Example Issuing CA," + SUFFIX;
    public static final String NO_CRL_DN = "cn=No CRL CA," + SUFFIX;
    public static final String READER_DN = "cn=reader," + SUFFIX;
    public static final String PRIVATE_DN = "cn=Private CA,ou=private," + SUFFIX;
    public static final String READER_PASSWORD = "reader-secret";

    private static final boolean AVAILABLE = Files.isExecutable(Path.of(SLAPD)) && Files.isExecutable(Path.of(SLAPADD))
            && Files.isRegularFile(Path.of("/etc/ldap/schema/core.schema"));
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Path dir;
    private final int port;
    private final Process process;
    private final boolean tls;

    private Slapd(Path dir, int port, Process process, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.tls = tls;
    }

    public static void assumeAvailable() {
        if (AVAILABLE) {
            return;
        }
        String why = "slapd is not installed: the LDAP distribution point tests need it "
                + "(apt-get install slapd ldap-utils)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; CI=true requires it");
        }
        if (!WARNED.getAndSet(true)) {
            System.err.println("certgate: skipped: " + why);
        }
        assumeTrue(false, why);
    }

    /** Starts a fresh server whose CA entries hold {@code crl} (DER). */
    public static Slapd start(byte[] crl) {
        return start(crl, null);
    }

    /** As {@link #start}, answering ldaps:// only, with {@code tls}'s server certificate and key. */
    static Slapd startTls(byte[] crl, TlsFixture tls) {
        return start(crl, tls);
    }

    private static Slapd start(byte[] crl, TlsFixture tls) {
        assumeAvailable();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a port picked free may be taken before slapd binds it
            Path dir = null;
            try {
                dir = Files.createTempDirectory("certgate-slapd-");
                Slapd slapd = launch(dir, crl, tls);
                if (slapd != null) {
                    return slapd;
                }
                delete(dir);
            } catch (IOException e) {
                last = e;
                if (dir != null) {
                    delete(dir);
                }
            }
        }
        throw new AssertionError("slapd did not start in 3 attempts", last);
    }

    public URI url(String dn) {
        return URI.create((tls ? "ldaps" : "ldap") + "://127.0.0.1:" + port + "/" + dn.replace(" ", "%20"));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private static Slapd launch(Path dir, byte[] crl, TlsFixture tls) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir.resolve("db"));
        Path conf = dir.resolve("slapd.conf");
        String tlsFiles = "";
        if (tls != null) {
            tls.writePem(dir.resolve("server.pem"), dir.resolve("server.key"));
            tlsFiles = "TLSCertificateFile " + dir.resolve("server.pem") + "\nTLSCertificateKeyFile "
                    + dir.resolve("server.key");
        }
        Files.writeString(conf, String.join("\n",
                tlsFiles,
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "database mdb",
                "maxsize 104857600",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"cn=admin," + SUFFIX + "\"",
                "rootpw admin-secret",
                "directory " + dir.resolve("db"),
                "access to attrs=userPassword by anonymous auth by * none",
                "access to dn.subtree=\"ou=private," + SUFFIX + "\" by dn.exact=\"" + READER_DN + "\" read by * none",
                "access to * by * read",
                ""), StandardCharsets.UTF_8);
        String crlBase64 = Base64.getEncoder().encodeToString(crl);
        Path ldif = dir.resolve("data.ldif");
        Files.writeString(ldif, String.join("\n",
                "dn: " + SUFFIX, "objectClass: dcObject", "objectClass: organization", "dc: example", "o: Example", "",
                "dn: " + CA_DN, "objectClass: cRLDistributionPoint", "objectClass: pkiCA", "cn: Example Issuing CA",
                "certificateRevocationList;binary:: " + crlBase64, "",
                "dn: " + NO_CRL_DN, "objectClass: cRLDistributionPoint", "objectClass: pkiCA", "cn: No CRL CA", "",
                "dn: " + READER_DN, "objectClass: person", "cn: reader", "sn: reader",
                "userPassword: " + READER_PASSWORD, "",
                "dn: ou=private," + SUFFIX, "objectClass: organizationalUnit", "ou: private", "",
                "dn: " + PRIVATE_DN, "objectClass: cRLDistributionPoint", "objectClass: pkiCA", "cn: Private CA",
                "certificateRevocationList;binary:: " + crlBase64, ""), StandardCharsets.UTF_8);
        run(dir, SLAPADD, "-q", "-f", conf.toString(), "-l", ldif.toString());
        Path log = dir.resolve("slapd.log");
        Process process = new ProcessBuilder(SLAPD, "-d", "stats", "-h",
                (tls != null ? "ldaps" : "ldap") + "://127.0.0.1:" + port + "/", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Slapd slapd = new Slapd(dir, port, process, tls != null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                if (tls != null) {
                    handshake(port, tls.clientTrustingTheCa());
                } else {
                    new InitialDirContext(anonymous(port)).close();
                }
                return slapd;
            } catch (NamingException | IOException e) {
                if (!process.isAlive()) {
                    String output = Files.readString(log, StandardCharsets.UTF_8);
                    if (output.contains("Address already in use")) {
                        return null;
                    }
                    throw new AssertionError("slapd exited " + process.exitValue() + ":\n" + output);
                }
                if (System.nanoTime() > deadline) {
                    slapd.close();
                    throw new AssertionError("slapd did not answer within 15 s");
                }
                sleep(10);
            }
        }
    }

    /** A TLS handshake with the server, trusting the fixture's CA: slapd is up and serves its certificate. */
    private static void handshake(int port, SSLContext client) throws IOException {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            socket.startHandshake();
        }
    }

    private static Hashtable<String, Object> anonymous(int port) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, "ldap://127.0.0.1:" + port);
        env.put("com.sun.jndi.ldap.connect.timeout", "1000");
        env.put("com.sun.jndi.ldap.read.timeout", "1000");
        return env;
    }

    private static void run(Path dir, String... command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops slapd by its PID (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }
}
