package certgate.adapters.cli;

import certgate.adapters.export.StrongSwanExport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certgate export}: the configuration of every policy shipped in the repository, compared with golden files
 * ({@code src/test/resources/export}; {@code -Dcertgate.golden=write} rewrites them after a deliberate change, to
 * be reviewed in the diff), and what the command refuses.
 */
class ExportTest {
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    static final Path GOLDEN = Path.of("src", "test", "resources", "export").toAbsolutePath();
    static final Path EXAMPLE_PKI = REPOSITORY.resolve("policies/examples/pki");

    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
    }

    /** The policies of the repository: policies/*.yaml and policies/examples/*.yaml, test files aside. */
    static List<Path> shippedPolicies() {
        List<Path> policies = new ArrayList<>();
        for (Path folder : List.of(REPOSITORY.resolve("policies"), REPOSITORY.resolve("policies/examples"))) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".tests.yaml"))
                        .sorted().forEach(policies::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return policies;
    }

    @Test
    void the_repository_ships_policies_to_export() {
        assertTrue(shippedPolicies().size() >= 4, shippedPolicies().toString());
    }

    @Test
    void junos_export_of_each_shipped_policy_matches_its_golden_file() {
        for (Path policy : shippedPolicies()) {
            Result result = fixture.runExactly(List.of("export", "junos", "--policy", policy.toString()));
            assertEquals(0, result.status(), result.toString());
            golden("junos/" + name(policy) + ".txt", result.out() + "--- standard error\n" + result.err());
        }
    }

    @Test
    void junos_export_names_certgates_crl_endpoint_for_each_profile() {
        Result result = fixture.runExactly(List.of("export", "junos", "--policy", policy("partner-fqdn.yaml"),
                "--crl-url", "http://certgate.example:8080/"));
        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("set security pki ca-profile partner revocation-check crl url"
                + " http://certgate.example:8080/crls/partner.crl\n"), result.out());
        assertTrue(result.out().contains("ca-profile corp revocation-check crl url"
                + " http://certgate.example:8080/crls/corp.crl\n"), result.out());
    }

    @Test
    void junos_export_gives_every_crl_url_of_a_profile_in_order() throws Exception {
        Path policy = dir.resolve("three-urls.yaml");
        Files.writeString(policy, """
                version: 1
                pki:
                  ca-profiles:
                    - name: corp
                      ca-identity: "CN=Corp CA, O=Corp, C=US"
                      revocation-check:
                        crl:
                          url: [http://a.example/corp.crl, http://b.example/corp.crl, "ldap://c.example/cn=Corp%20CA?certificateRevocationList;binary"]
                ike:
                  gateways:
                    - name: hq
                      ca-profile: corp
                      remote-identity: { fqdn: hq.example }
                """);
        Result result = fixture.runExactly(List.of("export", "junos", "--policy", policy.toString()));
        assertEquals(0, result.status(), result.toString());
        String prefix = "set security pki ca-profile corp revocation-check crl url ";
        List<String> urls = result.out().lines().filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length())).toList();
        assertEquals(List.of("http://a.example/corp.crl", "http://b.example/corp.crl",
                "\"ldap://c.example/cn=Corp%20CA?certificateRevocationList;binary\""), urls, result.out());
    }

    @Test
    void strongswan_export_of_each_shipped_policy_without_a_store_matches_its_golden_file() {
        for (Path policy : shippedPolicies()) {
            Path out = dir.resolve("out-" + name(policy));
            Result result = fixture.runExactly(List.of("export", "strongswan", "--policy", policy.toString(), "--out",
                    out.toString()));
            assertEquals(0, result.status(), result.toString());
            String notes = result.err().lines().filter(line -> !line.contains("no store at"))
                    .collect(Collectors.joining("\n", "", "\n"));
            golden("strongswan/" + name(policy) + ".txt", tree(out) + "--- standard error\n" + notes);
        }
    }

    @Test
    void strongswan_export_with_the_example_pki_in_the_store_matches_its_golden_file() {
        loadExamplePki();
        Path out = dir.resolve("swanctl");
        Result result = fixture.run("export", "strongswan", "--policy", policy("examples/example-pki.yaml"), "--out",
                out.toString(), "--crl-url", "http://10.99.0.1:8080", "--ocsp-url", "http://10.99.0.1:8080/ocsp");
        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains(": 2 connection(s) of 2 gateway(s), 1 CA certificate(s)"), result.out());
        golden("strongswan/example-pki-with-store.txt", tree(out) + "--- standard error\n" + result.err());
        String conf = read(out.resolve("swanctl.conf"));
        assertTrue(conf.contains("crl_uris = http://10.99.0.1:8080/crls/by-issuer/"), conf);
        assertTrue(conf.contains("id = \"OU=VPN, O=Example\""), conf);
        assertTrue(read(out.resolve(StrongSwanExport.CHARON_SETTINGS)).contains("rdn_matching = relaxed"));
    }

    @Test
    void the_same_policy_and_store_give_the_same_bytes_and_a_new_export_replaces_the_old_files() throws IOException {
        loadExamplePki();
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        fixture.run("export", "strongswan", "--policy", policy("examples/example-pki.yaml"), "--out", first.toString());
        fixture.run("export", "strongswan", "--policy", policy("examples/example-pki.yaml"), "--out",
                second.toString());
        assertEquals(tree(first), tree(second));

        Files.writeString(first.resolve("x509ca/certgate-ca-0000000000000000.pem"), "left over");
        Files.writeString(first.resolve("x509ca/mine.pem"), "not ours");
        fixture.run("export", "strongswan", "--policy", policy("examples/example-pki.yaml"), "--out", first.toString());
        assertFalse(Files.exists(first.resolve("x509ca/certgate-ca-0000000000000000.pem")), "stale export file");
        assertTrue(Files.exists(first.resolve("x509ca/mine.pem")), "a file certgate did not write stays");
    }

    @Test
    void a_profile_without_a_ca_in_the_store_leaves_its_gateways_out() {
        fixture.run("load", "ca", EXAMPLE_PKI.resolve("root-ca.pem").toString(), "--profile", "other");
        Path out = dir.resolve("out");
        Result result = fixture.run("export", "strongswan", "--policy", policy("examples/example-pki.yaml"), "--out",
                out.toString());
        assertEquals(0, result.status(), result.toString());
        assertTrue(result.err().contains("gateway gw1: left out: the store holds no CA certificate that CA profile"
                + " example trusts"), result.err());
        assertTrue(result.out().contains(": 0 connection(s) of 2 gateway(s)"), result.out());
        assertFalse(read(out.resolve("swanctl.conf")).contains("remote {"));
    }

    @Test
    void usage_errors_are_refused_with_status_2() {
        String example = policy("examples/example-pki.yaml");
        List<List<String>> wrong = List.of(
                List.of("export"),
                List.of("export", "strongswann", "--policy", example, "--out", "x"),
                List.of("export", "strongswan", "--policy", example),
                List.of("export", "strongswan", "--out", "x"),
                List.of("export", "junos", "--policy", example, "--out", "x"),
                List.of("export", "junos", "--policy", example, "--crl-url", "ftp://host/"),
                List.of("export", "junos", "--policy", example, "--crl-url", "http://host/?q=1"),
                List.of("export", "strongswan", "--policy", example, "--out", "x", "--ocsp-url", "http:///nohost"),
                List.of("export", "junos", "--policy", "missing.yaml"));
        for (List<String> argv : wrong) {
            Result result = fixture.runExactly(argv);
            assertEquals(ExitStatus.USAGE, result.status(), argv + " -> " + result);
            assertTrue(result.err().startsWith("certgate export: "), result.err());
        }
        assertTrue(fixture.runExactly(List.of("export", "strongswann")).err().contains("did you mean 'strongswan'?"));
    }

    @Test
    void a_policy_with_errors_is_refused_naming_the_first() {
        fixture.write("bad.yaml", "version: 1\nike:\n  gateways:\n    - name: x\n      ca-profile: nope\n"
                .getBytes(StandardCharsets.UTF_8));
        Result result = fixture.runExactly(List.of("export", "junos", "--policy", "bad.yaml"));
        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.err().contains("bad.yaml does not compile"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void help_explains_both_targets() {
        Result result = fixture.runExactly(List.of("export", "--help"));
        assertEquals(0, result.status());
        assertTrue(result.out().contains("certgate export strongswan") && result.out().contains("certgate export junos"));
    }

    private void loadExamplePki() {
        Result ca = fixture.run("load", "ca", EXAMPLE_PKI.resolve("issuing-ca.pem").toString(), "--profile",
                "example");
        assertEquals(0, ca.status(), ca.toString());
    }

    static String policy(String name) {
        return REPOSITORY.resolve("policies").resolve(name).toString();
    }

    private static String name(Path policy) {
        String file = policy.getFileName().toString();
        String prefix = policy.getParent().getFileName().toString().equals("examples") ? "examples-" : "";
        return prefix + file.substring(0, file.length() - ".yaml".length());
    }

    /** Every file under {@code root}, in path order, as "=== path" and its text; empty directories listed too. */
    static String tree(Path root) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted().toList()) {
                String relative = root.relativize(path).toString();
                if (Files.isDirectory(path)) {
                    out.append("=== ").append(relative.isEmpty() ? "." : relative).append("/\n");
                } else {
                    out.append("=== ").append(relative).append('\n').append(read(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares with the golden file, or writes it under -Dcertgate.golden=write. */
    static void golden(String name, String actual) {
        Path file = GOLDEN.resolve(name);
        try {
            if ("write".equals(System.getProperty("certgate.golden"))) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertTrue(Files.exists(file), "no golden file " + file + "; run with -Dcertgate.golden=write");
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "differs from " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
