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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real IKEv2 exchange decided by a charon configured only from {@code certgate export strongswan}: the
 * responder's swanctl directory is the export (its CA from certgate's store, its own certificate loaded with
 * {@code certgate load local}, the branches' wildcard rule and the head office's FQDN as remote.ids, revocation strict with the CRL URL
 * of certgate), and a CRL server runs in the responder's namespace. Each scenario asserts charon's verdict from
 * swanctl's exit status and the responder's log.
 *
 * <p>For section 3 of the issue, {@code certgate serve} takes the CRL server's place: start it with
 * {@link IkeLab#startInResponder} on the same address and port, its store the one this test fills.
 */
class StrongSwanExchangeTest {
    static final int CRL_PORT = 8080;
    static final String POLICY = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Corp Root CA, O=Corp, C=US"
                  revocation-check:
                    crl:
                      on-download-failure: reject
            ike:
              gateways:
                - name: hq
                  ca-profile: corp
                  remote-identity: { fqdn: hq.corp.example }
                - name: branches
                  ca-profile: corp
                  remote-identity:
                    dn:
                      wildcard: "O=Corp, OU=Branches"
            """;
    static final String RESPONDER_DN = "C=US, O=Corp, CN=gw-r.corp.example";

    @TempDir
    Path dir;
    StoreFixture store;
    IkeLab lab;
    Path pki;
    Process crlServer;

    @BeforeEach
    void setUp() throws IOException {
        StrongSwan.assumeAvailable();
        long started = System.nanoTime();
        store = new StoreFixture(dir);
        store.clock.set(Instant.now());
        pki = Files.createDirectories(dir.resolve("pki"));
        makePki();
        lab = IkeLab.open(Files.createDirectories(dir.resolve("lab")));

        Path export = dir.resolve("export");
        Result exported = store.run("export", "strongswan", "--policy", "policy.yaml", "--out", export.toString(),
                "--crl-url", "http://" + IkeLab.RESPONDER_ADDRESS + ":" + CRL_PORT);
        assertEquals(0, exported.status(), exported.toString());
        // the responder's private key is a credential, not configuration: it goes where swanctl reads keys
        Files.copy(dir.resolve("gw-r.key"), export.resolve("private/gw-r.key"));
        StrongSwan.Charon responder = lab.startResponder(export);
        StrongSwan.Result loaded = responder.swanctl("--load-all", "--noprompt");
        assertEquals(0, loaded.status(), loaded.output());

        StrongSwan.Result initiatorLoaded = lab.startInitiator(initiatorConfiguration())
                .swanctl("--load-all", "--noprompt");
        assertEquals(0, initiatorLoaded.status(), initiatorLoaded.output());
        crlServer = lab.startCrlFileServer(pki.resolve("www"), CRL_PORT);
        System.err.printf("strongSwan lab up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void charon_configured_by_the_export_decides_as_the_policy_says() {
        long started = System.nanoTime();

        IkeLab.Attempt good = lab.initiate("good");
        assertTrue(good.established(), "a good branch is refused:\n" + good.initiatorOutput() + good.responderLog());
        assertTrue(good.responderLog().contains("crl correctly signed"), good.responderLog());
        assertTrue(Pattern.compile("IKE_SA branches\\[\\d+\\] established").matcher(good.responderLog()).find(),
                good.responderLog());

        IkeLab.Attempt hq = lab.initiate("hq");
        assertTrue(hq.established(), "the FQDN gateway is refused:\n" + hq.initiatorOutput() + hq.responderLog());
        assertTrue(Pattern.compile("IKE_SA hq\\[\\d+\\] established between 10.99.0.1\\[[^]]*\\]\\.\\.\\.10.99.0.2"
                + "\\[hq.corp.example\\]").matcher(hq.responderLog()).find(), hq.responderLog());

        IkeLab.Attempt revoked = lab.initiate("revoked");
        assertFalse(revoked.established(), revoked.responderLog());
        assertTrue(revoked.responderLog().contains("certificate was revoked"), revoked.responderLog());
        assertTrue(revoked.responderLog().contains("AUTH_FAILED"), revoked.responderLog());

        IkeLab.Attempt stranger = lab.initiate("stranger");
        assertFalse(stranger.established(), stranger.responderLog());
        assertTrue(stranger.responderLog().contains("no matching peer config found"), stranger.responderLog());
        assertTrue(stranger.responderLog().contains("AUTH_FAILED"), stranger.responderLog());

        lab.stop(crlServer);
        IkeLab.Attempt unreachable = lab.initiate("good");
        assertFalse(unreachable.established(), "strict revocation without a CRL must fail closed:\n"
                + unreachable.responderLog());
        assertTrue(unreachable.responderLog().contains("RULE_CRL_VALIDATION is FAILED"), unreachable.responderLog());

        System.err.printf("strongSwan scenarios in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The CA and three branch certificates (good, revoked, outside the Branches OU) made with strongSwan's pki; the
     * responder's own key pair and request made by certgate, signed by the CA, loaded as certgate's local
     * certificate; the CA and its CRL loaded into certgate's store; the CRL served at certgate's URLs.
     */
    private void makePki() throws IOException {
        StrongSwan.pki(pki, "ca.key", "--gen", "--type", "ecdsa", "--size", "256", "--outform", "pem");
        StrongSwan.pki(pki, "ca.pem", "--self", "--ca", "--lifetime", "30", "--in", "ca.key", "--type", "ecdsa",
                "--dn", "C=US, O=Corp, CN=Corp Root CA", "--outform", "pem");
        branch("good", "01", "C=US, O=Corp, OU=Branches, CN=branch-1");
        branch("revoked", "02", "C=US, O=Corp, OU=Branches, CN=branch-666");
        branch("stranger", "03", "C=US, O=Corp, OU=Sales, CN=laptop-9");
        branch("hq", "04", "C=US, O=Corp, CN=hq", "--san", "hq.corp.example");
        StrongSwan.pki(pki, "ca.crl", "--signcrl", "--cacert", "ca.pem", "--cakey", "ca.key", "--lifetime", "30",
                "--reason", "key-compromise", "--cert", "revoked.pem", "--outform", "der");

        store.write("policy.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        ok(store.run("load", "ca", pki.resolve("ca.pem").toString(), "--profile", "corp"));
        ok(store.run("load", "crl", pki.resolve("ca.crl").toString()));
        ok(store.run("keygen", "--type", "ec", "--out", "gw-r.key"));
        ok(store.run("request", "--key", "gw-r.key", "--subject", "CN=gw-r.corp.example, O=Corp, C=US", "--san",
                "fqdn:gw-r.corp.example", "--out", "gw-r.p10"));
        StrongSwan.pki(pki, "gw-r.pem", "--issue", "--cacert", "ca.pem", "--cakey", "ca.key", "--type", "pkcs10",
                "--in", dir.resolve("gw-r.p10").toString(), "--serial", "10", "--lifetime", "30",
                "--san", "gw-r.corp.example", "--flag", "serverAuth", "--outform", "pem");
        store.clock.set(Instant.now());
        ok(store.run("load", "local", pki.resolve("gw-r.pem").toString(), "--key", "gw-r.key"));

        byte[] crl = Files.readAllBytes(pki.resolve("ca.crl"));
        Path byIssuer = Files.createDirectories(pki.resolve("www/crls/by-issuer"));
        Files.write(byIssuer.resolve(sha256(pemBody(pki.resolve("ca.pem"))) + ".crl"), crl);
        Files.write(pki.resolve("www/crls/corp.crl"), crl);
    }

    private void branch(String name, String serial, String dn, String... extra) {
        StrongSwan.pki(pki, name + ".key", "--gen", "--type", "ecdsa", "--size", "256", "--outform", "pem");
        StrongSwan.pki(pki, name + ".pub", "--pub", "--in", name + ".key", "--type", "ecdsa");
        List<String> args = new ArrayList<>(List.of("--issue", "--cacert", "ca.pem", "--cakey", "ca.key", "--in",
                name + ".pub", "--type", "pub", "--serial", serial, "--lifetime", "30", "--dn", dn,
                "--flag", "clientAuth", "--outform", "pem"));
        args.addAll(List.of(extra));
        StrongSwan.pki(pki, name + ".pem", args.toArray(String[]::new));
    }

    /** The initiator: one connection per branch certificate, to the responder, IKE only (the kernel has no ESP). */
    private Path initiatorConfiguration() throws IOException {
        Path swanctl = dir.resolve("initiator-swanctl");
        for (String sub : StrongSwanExport.SWANCTL_DIRECTORIES) {
            Files.createDirectories(swanctl.resolve(sub));
        }
        Files.copy(pki.resolve("ca.pem"), swanctl.resolve("x509ca/ca.pem"));
        StringBuilder conf = new StringBuilder("connections {\n");
        for (String name : List.of("good", "revoked", "stranger", "hq")) {
            Files.copy(pki.resolve(name + ".pem"), swanctl.resolve("x509/" + name + ".pem"));
            Files.copy(pki.resolve(name + ".key"), swanctl.resolve("private/" + name + ".key"));
            conf.append("""
                      %s {
                        version = 2
                        local_addrs = %s
                        remote_addrs = %s
                        proposals = aes128gcm16-prfsha256-ecp256
                        childless = force
                        local {
                          auth = pubkey
                          certs = %s.pem%s
                        }
                        remote {
                          auth = pubkey
                          id = "%s"
                          cacerts = ca.pem
                        }
                      }
                    """.formatted(name, IkeLab.INITIATOR_ADDRESS, IkeLab.RESPONDER_ADDRESS, name,
                    name.equals("hq") ? "\n      id = hq.corp.example" : "", RESPONDER_DN));
        }
        Files.writeString(swanctl.resolve("swanctl.conf"), conf.append("}\n").toString());
        return swanctl;
    }

    private static void ok(Result result) {
        assertEquals(0, result.status(), result.toString());
    }

    static byte[] pemBody(Path pem) {
        try {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            String body = text.substring(text.indexOf("-----\n") + 6, text.indexOf("-----END"));
            return Base64.getMimeDecoder().decode(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
