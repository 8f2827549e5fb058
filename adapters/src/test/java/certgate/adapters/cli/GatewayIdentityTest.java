package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.enroll.CertificateRequests;
import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.LocalCertificates;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.RecordedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own identity, from the policy: {@code request --gateway} takes the names from the gateway's
 * local-identity and refuses names the peers' side of the policy would not accept; {@code load local --gateway}
 * refuses a certificate without the local identity of the active policy's gateway; {@code check --store} finds
 * each gateway's local-certificate among the store's. Every refusal says what failed and leaves the store (and
 * the output file) as it was. OpenSSL plays the CA.
 */
class GatewayIdentityTest {
    private static final String POLICY = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Enrolment CA, O=Example"
            ike:
              gateways:
                - name: hub-to-gw1
                  ca-profile: corp
                  remote-identity: {fqdn: gw1.example.net}
                  local-identity: {fqdn: hub.example.net}
                - name: gw1-to-hub
                  ca-profile: corp
                  remote-identity: {fqdn: hub.example.net}
                  local-identity: {fqdn: gw1.example.net}
                - name: lonely
                  ca-profile: corp
                  remote-identity: {fqdn: peer.example.net}
                  local-identity: {fqdn: lonely.example.net}
                - name: psk-side
                  authentication: pre-shared-key
                  remote-identity: {fqdn: psk-peer.example.net}
                - name: psk-peer
                  ca-profile: corp
                  remote-identity: {fqdn: x.example.net}
                  local-identity: {fqdn: psk-peer.example.net}
                - name: selfish
                  ca-profile: corp
                  remote-identity: {fqdn: selfish.example.net}
                  local-identity: {fqdn: selfish.example.net}
                - name: no-local
                  ca-profile: corp
                  remote-identity: {fqdn: y.example.net}
                - name: by-dn
                  ca-profile: corp
                  remote-identity: {fqdn: z.example.net}
                  local-identity: {dn: "CN=branch7, OU=VPN, O=Example"}
                - name: branches
                  ca-profile: corp
                  remote-identity: {dn: {wildcard: "OU=VPN, O=Example"}}
                - name: pinned
                  ca-profile: corp
                  remote-identity: {fqdn: w.example.net}
                  local-identity: {fqdn: gw1.example.net}
                  local-certificate: {sha256: "%s"}
            """.formatted("00".repeat(32));

    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void keyAndPolicy() {
        OpenSsl.assumeAvailable();
        fixture = new StoreFixture(dir);
        fixture.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1)));
        fixture.write("policy.yaml", POLICY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OpenSsl.makeCa(dir, "ca", "/O=Example/CN=Enrolment CA");
        ok("load", "ca", "ca.pem");
        ok("keygen", "--type", "ec", "--out", "gw.key");
    }

    private StoreFixture.Result ok(String... args) {
        StoreFixture.Result run = fixture.run(args);
        assertEquals(0, run.status(), run.toString());
        return run;
    }

    /** Refused with exit 2 and {@code expected} on stderr; nothing appended, no request written. */
    private StoreFixture.Result refused(String expected, String... args) {
        long before = fixture.storeBytes();
        StoreFixture.Result run = fixture.run(args);
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(expected), run.err());
        assertEquals(before, fixture.storeBytes(), "something was appended");
        assertFalse(Files.exists(dir.resolve("gw.p10")), "a request was written");
        return run;
    }

    private CertificateRequests.Request written(String file) throws IOException, EnrollException {
        return CertificateRequests.parse(file, Files.readAllBytes(dir.resolve(file)));
    }

    private StoreFixture.Result request(String gateway, String... more) {
        List<String> argv = new java.util.ArrayList<>(List.of("request", "--key", "gw.key", "--gateway", gateway,
                "--policy", "policy.yaml", "--out", "gw.p10"));
        argv.addAll(List.of(more));
        return fixture.run(argv.toArray(String[]::new));
    }

    @Test
    void a_request_for_a_gateway_carries_its_local_identity_and_names_the_peer_that_finds_it() throws Exception {
        StoreFixture.Result run = request("gw1-to-hub");
        assertEquals(0, run.status(), run.toString());

        CertificateRequests.Request written = written("gw.p10");
        assertEquals("CN=gw1.example.net", written.subject().toString());
        assertEquals(List.of(new IkeIdentity(IkeIdentity.Type.FQDN, "gw1.example.net")), written.subjectAltNames());
        assertTrue(written.signatureVerifies());
        assertTrue(run.out().contains("peers: gateway hub-to-gw1 finds this gateway by fqdn:gw1.example.net and"
                + " checks its certificate under CA profile corp (a certificate issued by 'CN=Enrolment CA,"
                + " O=Example')"), run.out());
        assertTrue(OpenSsl.ok(dir, "req", "-verify", "-noout", "-in", "gw.p10").contains("verify OK"));
    }

    @Test
    void a_dn_identity_is_the_subject_and_still_needs_a_subject_alt_name() throws Exception {
        refused("no --san is given: you must define at least one IP address, FQDN, or U-FQDN/e-mail address",
                "request", "--key", "gw.key", "--gateway", "by-dn", "--policy", "policy.yaml", "--out", "gw.p10");
        refused("--subject 'CN=other' is not the subject gateway by-dn of policy.yaml gives (its local-identity"
                + " dn): 'CN=branch7, OU=VPN, O=Example'", "request", "--key", "gw.key", "--gateway", "by-dn",
                "--policy", "policy.yaml", "--subject", "CN=other", "--san", "fqdn:branch7.example.net", "--out",
                "gw.p10");

        StoreFixture.Result run = request("by-dn", "--san", "fqdn:branch7.example.net");
        assertEquals(0, run.status(), run.toString());
        CertificateRequests.Request written = written("gw.p10");
        assertEquals("CN=branch7, OU=VPN, O=Example", written.subject().toString());
        assertEquals(List.of(new IkeIdentity(IkeIdentity.Type.FQDN, "branch7.example.net")),
                written.subjectAltNames());
        assertTrue(run.out().contains("peers: gateway branches finds this gateway by dn:CN=branch7, OU=VPN,"
                + " O=Example"), run.out());
    }

    @Test
    void names_the_peers_side_would_not_accept_are_refused_saying_why() {
        refused("no gateway of the policy has a remote-identity that matches fqdn:lonely.example.net, so a peer"
                + " deciding under it finds none (GATEWAY_NOT_FOUND)", "request", "--key", "gw.key", "--gateway",
                "lonely", "--policy", "policy.yaml", "--out", "gw.p10");
        refused("gateway psk-side, the first whose remote-identity matches fqdn:psk-peer.example.net, uses a"
                + " pre-shared key", "request", "--key", "gw.key", "--gateway", "psk-peer", "--policy",
                "policy.yaml", "--out", "gw.p10");
        refused("is selfish itself", "request", "--key", "gw.key", "--gateway", "selfish", "--policy",
                "policy.yaml", "--out", "gw.p10");
        refused("gateway no-local of policy.yaml names no local-identity", "request", "--key", "gw.key",
                "--gateway", "no-local", "--policy", "policy.yaml", "--out", "gw.p10");
    }

    @Test
    void gateway_and_policy_go_together_and_name_a_gateway_of_the_policy() {
        refused("--gateway needs --policy FILE", "request", "--key", "gw.key", "--gateway", "gw1-to-hub", "--out",
                "gw.p10");
        refused("--policy needs --gateway NAME", "request", "--key", "gw.key", "--policy", "policy.yaml",
                "--subject", "CN=gw1", "--san", "fqdn:gw1.example.net", "--out", "gw.p10");
        refused("--gateway 'gw1-to-hbu' is not a gateway of policy.yaml; did you mean 'gw1-to-hub'?", "request",
                "--key", "gw.key", "--gateway", "gw1-to-hbu", "--policy", "policy.yaml", "--out", "gw.p10");
    }

    /** A certificate for gw.key with subjectAltName {@code san}, signed by the store's CA. */
    private void issue(String san) {
        ok("request", "--key", "gw.key", "--subject", "CN=gw1.example.net, O=Example", "--san", san, "--out",
                "gw.p10");
        OpenSsl.sign(dir, "ca", "gw.p10", "gw.pem", 30);
        try {
            Files.delete(dir.resolve("gw.p10"));
            Instant notBefore = LocalCertificates.describe(PkiFiles.certificates(dir.resolve("gw.pem")).get(0))
                    .notBefore();
            fixture.clock.set(notBefore.plus(Duration.ofHours(1)));
        } catch (IOException | PkiFileException | EnrollException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void under_an_active_policy_load_local_refuses_a_certificate_without_the_gateways_local_identity() {
        ok("policy", "activate", "policy.yaml");
        issue("fqdn:gw1.example.net");

        StoreFixture.Result identity = refused("gw.pem: refused (identity check): gateway lonely presents the"
                + " local-identity fqdn:lonely.example.net in the active policy (revision ", "load", "local",
                "gw.pem", "--key", "gw.key", "--gateway", "lonely");
        assertTrue(identity.err().contains("but its subjectAltName holds fqdn:gw1.example.net"), identity.err());
        refused("gw.pem: refused (gateway check): the active policy (revision ", "load", "local", "gw.pem",
                "--key", "gw.key", "--gateway", "nowhere");
        refused("gw.pem: refused (local-certificate check): gateway pinned's local-certificate in the active policy",
                "load", "local", "gw.pem", "--key", "gw.key", "--gateway", "pinned");
        refused("refused (identity check): gateway by-dn presents the local-identity dn:CN=branch7, OU=VPN,"
                + " O=Example in the active policy", "load", "local", "gw.pem", "--key", "gw.key", "--gateway",
                "by-dn");

        StoreFixture.Result loaded = ok("load", "local", "gw.pem", "--key", "gw.key", "--gateway", "gw1-to-hub");
        assertTrue(loaded.out().contains("for gateway gw1-to-hub"), loaded.out());
        List<RecordedEvent> events = fixture.events();
        assertEquals(Optional.of("gw1-to-hub"),
                ((LocalCertificateLoaded) events.get(events.size() - 1).event()).gateway());
    }

    @Test
    void without_an_active_policy_the_gateway_name_is_recorded_unchecked() {
        issue("fqdn:gw1.example.net");
        ok("load", "local", "gw.pem", "--key", "gw.key", "--gateway", "lonely");
    }

    @Test
    void check_with_a_store_finds_each_local_certificate_there_holding_the_local_identity() throws Exception {
        String named = POLICY.replace("      local-identity: {fqdn: gw1.example.net}\n    - name: lonely",
                "      local-identity: {fqdn: gw1.example.net}\n"
                        + "      local-certificate: {subject: \"CN=gw1.example.net, O=Example\"}\n"
                        + "    - name: lonely").replace("      local-certificate: {sha256: \"" + "00".repeat(32)
                + "\"}\n", "");
        assertTrue(named.contains("local-certificate: {subject"), named);
        fixture.write("named.yaml", named.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StoreFixture.Result withoutStore = fixture.runExactly(List.of("check", "named.yaml"));
        assertEquals(0, withoutStore.status(), "without --store, references are not checked: " + withoutStore);

        StoreFixture.Result none = fixture.run("check", "named.yaml", "--store", "store");
        assertEquals(1, none.status(), none.toString());
        assertTrue(none.out().contains("UNKNOWN_LOCAL_CERTIFICATE: no local certificate loaded in the store has"
                + " subject 'CN=gw1.example.net, O=Example'"), none.out());

        issue("fqdn:other.example.net");
        ok("load", "local", "gw.pem", "--key", "gw.key");
        StoreFixture.Result lacking = fixture.run("check", "named.yaml", "--store", "store");
        assertEquals(1, lacking.status(), lacking.toString());
        assertTrue(lacking.out().contains("LOCAL_IDENTITY_NOT_CERTIFIED: the local certificate with subject"
                + " 'CN=gw1.example.net, O=Example' does not hold the local-identity fqdn:gw1.example.net in its"
                + " subjectAltName"), lacking.out());

        Files.delete(dir.resolve("gw.pem"));
        issue("fqdn:gw1.example.net");
        ok("load", "local", "gw.pem", "--key", "gw.key");
        ok("check", "named.yaml", "--store", "store");

        StoreFixture.Result noStore = fixture.run("check", "named.yaml", "--store", "missing");
        assertEquals(2, noStore.status(), noStore.toString());
        assertTrue(noStore.err().contains("no event store at"), noStore.err());
    }
}
