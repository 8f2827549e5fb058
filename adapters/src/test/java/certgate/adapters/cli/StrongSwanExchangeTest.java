package certgate.adapters.cli;

import certgate.adapters.export.StrongSwanExport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Result;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
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
 * A real IKEv2 exchange decided by a charon configured only from {@code certgate export strongswan}, with
 * {@code certgate serve} as its revocation source: the responder's swanctl directory is the export (its CA from
 * certgate's store, its own certificate loaded with {@code certgate load local}, the branches' wildcard rule and the
 * head office's FQDN as remote.ids, revocation strict with the CRL URL of certgate), and {@code certgate serve}, a
 * process of its own, runs over the same store in the responder's namespace. Each scenario asserts charon's
 * verdict (swanctl's exit status and the responder's log) and what certgate saw (serve's request log, the event
 * log): a good peer gets in, a revoked one gets AUTH_FAILED, an identity the policy does not name is refused
 * before revocation is asked, a CRL loaded into the running certgate takes effect after {@code swanctl
 * --flush-certs}, certgate stopped under {@code revocation = strict} fails closed; and with OCSP, each answer
 * charon acts on is an {@code OcspAnswered} event naming the CRL it came from.
 *
 * <p>Each test takes a few seconds; {@link IkeLab#close} stops certgate serve and both charons by PID and deletes
 * the namespaces, whatever happened.
 */
class StrongSwanExchangeTest {
    static final int SERVE_PORT = 8080;
    static final String OCSP_URL = "http://" + IkeLab.RESPONDER_ADDRESS + ":" + SERVE_PORT + "/ocsp";
    static final String TOKEN = "e2e-token-0123456789abcdef0123456789";
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
    Process serve;
    /** The CRL endpoint path charon fetches: certgate's by-issuer path of the CA. */
    String crlPath;

    @BeforeEach
    void setUp() throws IOException {
        StrongSwan.assumeAvailable();
        store = new StoreFixture(dir);
        store.clock.set(Instant.now());
        pki = Files.createDirectories(dir.resolve("pki"));
        makePki();
        lab = IkeLab.open(Files.createDirectories(dir.resolve("lab")));
    }

    /**
     * Both charons and {@code certgate serve}: the responder's configuration exported with certgate's CRL endpoint
     * and, with {@code ocsp}, its OCSP responder (serve signing with the CA's delegated responder certificate).
     */
    private void startLab(boolean ocsp) throws IOException {
        long started = System.nanoTime();
        Path export = dir.resolve("export");
        List<String> exportArgs = new ArrayList<>(List.of("export", "strongswan", "--policy", "policy.yaml", "--out",
                export.toString(), "--crl-url", "http://" + IkeLab.RESPONDER_ADDRESS + ":" + SERVE_PORT));
        List<String> serveArgs = new ArrayList<>();
        if (ocsp) {
            exportArgs.addAll(List.of("--ocsp-url", OCSP_URL));
            serveArgs.addAll(List.of("--ocsp-cert", pki.resolve("ocsp.pem").toString(), "--ocsp-key",
                    dir.resolve("ocsp.key").toString()));
        }
        Result exported = store.run(exportArgs.toArray(String[]::new));
        assertEquals(0, exported.status(), exported.toString());
        String configuration = Files.readString(export.resolve("swanctl.conf"));
        assertTrue(configuration.contains(crlPath), "the export does not point charon at certgate's CRL endpoint "
                + crlPath + ":\n" + configuration);
        // the responder's private key is a credential, not configuration: it goes where swanctl reads keys
        Files.copy(dir.resolve("gw-r.key"), export.resolve("private/gw-r.key"));
        StrongSwan.Charon responder = lab.startResponder(export);
        StrongSwan.Result loaded = responder.swanctl("--load-all", "--noprompt");
        assertEquals(0, loaded.status(), loaded.output());

        StrongSwan.Result initiatorLoaded = lab.startInitiator(initiatorConfiguration())
                .swanctl("--load-all", "--noprompt");
        assertEquals(0, initiatorLoaded.status(), initiatorLoaded.output());
        Path token = Files.writeString(dir.resolve("serve.token"), TOKEN + "\n");
        serve = lab.startServe(store.store(), token, SERVE_PORT, serveArgs.toArray(String[]::new));
        System.err.printf("strongSwan lab up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close(); // certgate serve and both charons, by PID, then the namespaces
        }
    }

    @Test
    void charon_configured_by_the_export_decides_as_the_policy_says_with_certgate_serving_revocation()
            throws IOException {
        startLab(false);
        long started = System.nanoTime();

        int from = serveLogLines();
        IkeLab.Attempt good = lab.initiate("good");
        assertTrue(good.established(), "a good branch is refused:\n" + good.initiatorOutput() + good.responderLog());
        assertTrue(good.responderLog().contains("fetching crl from 'http://" + IkeLab.RESPONDER_ADDRESS + ":"
                + SERVE_PORT + crlPath + "'"), "charon asks certgate:\n" + good.responderLog());
        assertTrue(good.responderLog().contains("crl correctly signed"), good.responderLog());
        assertTrue(Pattern.compile("IKE_SA branches\\[\\d+\\] established").matcher(good.responderLog()).find(),
                good.responderLog());
        awaitServeLine(from, "GET " + crlPath + " 200");

        from = serveLogLines();
        IkeLab.Attempt revoked = lab.initiate("revoked");
        assertFalse(revoked.established(), revoked.responderLog());
        assertTrue(revoked.responderLog().contains("certificate was revoked"), revoked.responderLog());
        assertTrue(revoked.responderLog().contains("AUTH_FAILED"), revoked.responderLog());
        awaitServeLine(from, "GET " + crlPath + " 200");

        from = serveLogLines();
        IkeLab.Attempt stranger = lab.initiate("stranger");
        assertFalse(stranger.established(), stranger.responderLog());
        assertTrue(stranger.responderLog().contains("no matching peer config found"), stranger.responderLog());
        assertTrue(stranger.responderLog().contains("AUTH_FAILED"), stranger.responderLog());
        assertEquals(List.of(), crlRequestsSince(from), "an identity the policy does not name is refused before"
                + " revocation is asked");

        IkeLab.Attempt hq = lab.initiate("hq");
        assertTrue(hq.established(), "the FQDN gateway is refused:\n" + hq.initiatorOutput() + hq.responderLog());
        assertTrue(Pattern.compile("IKE_SA hq\\[\\d+\\] established between 10.99.0.1\\[[^]]*\\]\\.\\.\\.10.99.0.2"
                + "\\[hq.corp.example\\]").matcher(hq.responderLog()).find(), hq.responderLog());

        crlLoadedWhileCharonRunsTakesEffectAfterFlush();

        lab.stop(serve);
        assertTrue(lab.output("serve").contains("certgate serve: stopped:"), lab.output("serve"));
        IkeLab.Attempt unreachable = lab.initiate("hq");
        assertFalse(unreachable.established(), "strict revocation without certgate must fail closed:\n"
                + unreachable.responderLog());
        assertTrue(unreachable.responderLog().contains("crl fetching failed"), unreachable.responderLog());
        assertTrue(unreachable.responderLog().contains("RULE_CRL_VALIDATION is FAILED"), unreachable.responderLog());

        System.err.printf("strongSwan scenarios in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void charon_asks_certgate_by_ocsp_and_every_answer_is_in_its_log() throws IOException {
        startLab(true);
        long started = System.nanoTime();
        String crl1 = sha256(Files.readAllBytes(pki.resolve("ca.crl")));

        int from = serveLogLines();
        IkeLab.Attempt good = lab.initiate("good");
        assertTrue(good.established(), "a good branch is refused:\n" + good.initiatorOutput() + good.responderLog());
        assertTrue(good.responderLog().contains("requesting ocsp status from '" + OCSP_URL + "'"), good.responderLog());
        assertTrue(good.responderLog().contains("ocsp response correctly signed"), good.responderLog());
        awaitServeLine(from, "POST /ocsp 200");
        assertEquals(List.of(), crlRequestsSince(from), "a good OCSP answer needs no CRL");
        assertOcspAnswered(1, "good", crl1);

        IkeLab.Attempt revoked = lab.initiate("revoked");
        assertFalse(revoked.established(), revoked.responderLog());
        assertTrue(revoked.responderLog().contains("certificate was revoked"), revoked.responderLog());
        assertTrue(revoked.responderLog().contains("AUTH_FAILED"), revoked.responderLog());
        assertOcspAnswered(2, "revoked", crl1);

        loadCrlRevokingTheGoodBranch();
        IkeLab.Attempt goodRevoked = lab.initiate("good");
        assertFalse(goodRevoked.established(), "OCSP answers from the CRL loaded last:\n" + goodRevoked.responderLog());
        assertTrue(goodRevoked.responderLog().contains("certificate was revoked"), goodRevoked.responderLog());
        assertOcspAnswered(1, "revoked", sha256(Files.readAllBytes(pki.resolve("ca-2.crl"))));

        System.err.printf("strongSwan OCSP scenarios in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /** The last OcspAnswered event in certgate's log: for serial {@code serial}, {@code status}, from that CRL. */
    private void assertOcspAnswered(int serial, String status, String crlSha256) {
        List<JsonNode> answers = events("OcspAnswered");
        assertFalse(answers.isEmpty(), "no OcspAnswered event in certgate's log");
        JsonNode last = answers.get(answers.size() - 1).path("event");
        assertEquals(Integer.toHexString(serial), last.path("serial").asText(), last.toString());
        assertEquals(status, last.path("status").asText(), last.toString());
        assertEquals(crlSha256, last.path("crlSha256").asText(), last.toString());
    }

    /**
     * A CRL revoking the good branch, loaded into the running certgate through its API: charon keeps deciding with
     * the CRL it fetched (the good branch still gets in, certgate is not asked) until {@code swanctl --flush-certs};
     * then it fetches the new CRL from certgate and refuses the branch.
     */
    private void crlLoadedWhileCharonRunsTakesEffectAfterFlush() {
        loadCrlRevokingTheGoodBranch();

        int from = serveLogLines();
        IkeLab.Attempt cached = lab.initiate("good", false);
        assertTrue(cached.established(), "before --flush-certs charon decides with the CRL it holds:\n"
                + cached.responderLog());
        assertTrue(cached.responderLog().contains("using cached crl"), cached.responderLog());
        assertEquals(List.of(), crlRequestsSince(from), "charon used its cached CRL");

        from = serveLogLines();
        IkeLab.Attempt flushed = lab.initiate("good");
        assertFalse(flushed.established(), "the CRL loaded into certgate revokes the good branch:\n"
                + flushed.responderLog());
        assertTrue(flushed.responderLog().contains("certificate was revoked"), flushed.responderLog());
        assertTrue(flushed.responderLog().contains("AUTH_FAILED"), flushed.responderLog());
        awaitServeLine(from, "GET " + crlPath + " 200");
    }

    /**
     * The CA's next CRL, revoking the good branch too, posted to the running certgate ({@code POST /v1/crls} with
     * its token, from inside the responder's namespace), and the CrlLoaded event it appended.
     */
    private void loadCrlRevokingTheGoodBranch() {
        long crlsBefore = events("CrlLoaded").size();
        StrongSwan.pki(pki, "ca-2.crl", "--signcrl", "--cacert", "ca.pem", "--cakey", "ca.key", "--lifetime", "30",
                "--lastcrl", "ca.crl", "--reason", "key-compromise", "--cert", "good.pem", "--outform", "der");
        StrongSwan.Result posted = lab.inResponder(List.of("curl", "-sS", "-w", "\nHTTP %{http_code}\n",
                "-H", "Authorization: Bearer " + TOKEN, "-H", "Content-Type: application/pkix-crl",
                "--data-binary", "@" + pki.resolve("ca-2.crl"),
                "http://" + IkeLab.RESPONDER_ADDRESS + ":" + SERVE_PORT + "/v1/crls"));
        assertEquals(0, posted.status(), posted.output());
        assertTrue(posted.output().contains("HTTP 200"), posted.output());
        assertEquals(crlsBefore + 1, events("CrlLoaded").size(), "the CRL posted to certgate is in its event log");
    }

    private int serveLogLines() {
        return (int) lab.output("serve").lines().count();
    }

    /** The CRL requests certgate serve logged after its first {@code from} lines. */
    private List<String> crlRequestsSince(int from) {
        return lab.output("serve").lines().skip(from).filter(line -> line.contains(" /crls/")).toList();
    }

    /**
     * Waits (up to 2 s) for serve's request log to hold {@code "certgate serve: " + request} after its first
     * {@code from} lines: it writes the line once the answer is sent, so it may trail charon's verdict a little.
     */
    private void awaitServeLine(int from, String request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (lab.output("serve").lines().skip(from).noneMatch(line -> line.startsWith("certgate serve: " + request
                + " "))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("certgate serve did not log '" + request + "':\n" + lab.output("serve"));
            }
            IkeLab.pause(Duration.ofMillis(20));
        }
    }

    /** The events of {@code type} in certgate's log, as JSON, read beside the running serve as an auditor would. */
    private List<JsonNode> events(String type) {
        Result dump = store.run("log", "dump", "--format", "json");
        assertEquals(0, dump.status(), dump.toString());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : dump.out().lines().toList()) {
            try {
                JsonNode event = json.readTree(line);
                if (event.path("type").asText().equals(type)) {
                    events.add(event);
                }
            } catch (JsonProcessingException e) {
                throw new AssertionError("log dump printed a line that is not JSON: " + line, e);
            }
        }
        return events;
    }

    /**
     * The CA and three branch certificates (good, revoked, outside the Branches OU) made with strongSwan's pki; the
     * responder's own key pair and request made by certgate, signed by the CA, loaded as certgate's local
     * certificate; the CA and its CRL loaded into certgate's store, which {@code certgate serve} serves them from.
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
        ok(store.run("keygen", "--type", "ec", "--out", "ocsp.key"));
        ok(store.run("request", "--key", "ocsp.key", "--subject", "CN=Corp OCSP Responder, O=Corp, C=US", "--san",
                "fqdn:ocsp.corp.example", "--out", "ocsp.p10"));
        StrongSwan.pki(pki, "ocsp.pem", "--issue", "--cacert", "ca.pem", "--cakey", "ca.key", "--type", "pkcs10",
                "--in", dir.resolve("ocsp.p10").toString(), "--serial", "11", "--lifetime", "30",
                "--flag", "ocspSigning", "--outform", "pem");
        store.clock.set(Instant.now());
        ok(store.run("load", "local", pki.resolve("gw-r.pem").toString(), "--key", "gw-r.key"));

        crlPath = "/crls/by-issuer/" + sha256(pemBody(pki.resolve("ca.pem"))) + ".crl";
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
