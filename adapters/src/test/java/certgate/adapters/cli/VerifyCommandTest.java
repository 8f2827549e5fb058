package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.PemText;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certgate verify} run in-process on the example PKI, freshly generated into a temporary directory. */
class VerifyCommandTest {
    @TempDir
    static Path pki;

    static String root;
    static String issuing;
    static String good;
    static String revoked;
    static String issuingCrl;
    static String rootCrl;

    @BeforeAll
    static void writeThePki() throws IOException {
        for (Map.Entry<String, byte[]> file : ExamplePkiGenerator.files().entrySet()) {
            Files.write(pki.resolve(file.getKey()), file.getValue());
        }
        root = file("root-ca.pem");
        issuing = file("issuing-ca.pem");
        good = file("gw-good.pem");
        revoked = file("gw-revoked.pem");
        issuingCrl = file("issuing-ca.crl");
        rootCrl = file("root-ca.crl");
    }

    static String file(String name) {
        return pki.resolve(name).toString();
    }

    static String write(String name, byte[] content) throws IOException {
        Path path = pki.resolve(name);
        Files.write(path, content);
        return path.toString();
    }

    /** verify with the issuing CA trusted and its CRL loaded, plus the given arguments. */
    static Cli.Run verify(String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "--trust", issuing, "--crl", issuingCrl));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    static String firstLine(Cli.Run run) {
        return run.outLines().isEmpty() ? "" : run.outLines().get(0);
    }

    // ---- decisions and exit statuses

    @Test
    void a_good_peer_is_accepted_with_exit_status_0() {
        Cli.Run run = verify("--peer", good, "--id", "fqdn:gw1.example.net");
        assertEquals(0, run.status(), run.toString());
        assertEquals("accept OK", firstLine(run));
        assertEquals("", run.err());
    }

    @Test
    void a_revoked_peer_is_rejected_with_exit_status_1_and_its_reason() {
        Cli.Run run = verify("--peer", revoked);
        assertEquals(1, run.status(), run.toString());
        assertEquals("reject REVOKED", firstLine(run));
    }

    @Test
    void a_full_path_to_the_root_is_built_from_the_chain_the_peer_sent() {
        Cli.Run run = Cli.run("verify", "--trust", root, "--chain", issuing, "--crl", issuingCrl, rootCrl,
                "--peer", good, "--path-validation", "full");
        assertEquals(0, run.status(), run.toString());
    }

    @Test
    void full_path_validation_refuses_a_path_that_ends_at_an_intermediate() {
        Cli.Run run = verify("--peer", good, "--path-validation", "full");
        assertEquals(1, run.status(), run.toString());
        assertEquals("reject NOT_ANCHORED_AT_ROOT", firstLine(run));
    }

    @Test
    void certificates_after_the_first_in_the_peer_file_are_the_chain_it_sent() throws IOException {
        byte[] bundle = (Files.readString(Path.of(good)) + Files.readString(Path.of(issuing)))
                .getBytes(StandardCharsets.US_ASCII);
        String peerWithChain = write("gw-good-with-chain.pem", bundle);
        Cli.Run run = Cli.run("verify", "--trust", root, "--crl", issuingCrl, rootCrl, "--peer", peerWithChain);
        assertEquals(0, run.status(), run.toString());
    }

    @Test
    void without_a_crl_the_decision_fails_closed_unless_told_otherwise() {
        Cli.Run closed = Cli.run("verify", "--trust", issuing, "--peer", good);
        assertEquals(1, closed.status(), closed.toString());
        assertEquals("reject CRL_UNAVAILABLE", firstLine(closed));
        assertEquals(0, Cli.run("verify", "--trust", issuing, "--peer", good, "--on-download-failure", "accept")
                .status());
        assertEquals(0, Cli.run("verify", "--trust", issuing, "--peer", good, "--revocation-check", "disable")
                .status());
    }

    @Test
    void a_stale_crl_that_lists_the_peer_revokes_it_whatever_on_download_failure_says() throws IOException {
        TestPki ca = TestPki.root("CN=Stale CRL CA");
        TestCert peer = ca.leaf("CN=gw3");
        byte[] stale = ca.crl().revoke(peer.serial()).thisUpdate(TestPki.NOW.minusSeconds(60L * 86_400))
                .nextUpdate(TestPki.NOW.minusSeconds(86_400)).build();
        String trust = write("stale-crl-ca.pem", ca.certificate().pem().getBytes(StandardCharsets.US_ASCII));
        String crl = write("stale-crl-ca.crl", PemText.crl(stale).getBytes(StandardCharsets.US_ASCII));
        String peerFile = write("stale-crl-peer.pem", peer.pem().getBytes(StandardCharsets.US_ASCII));
        for (String choice : List.of("accept", "reject")) {
            Cli.Run run = Cli.run("verify", "--trust", trust, "--crl", crl, "--peer", peerFile, "--at",
                    TestPki.NOW.toString(), "--on-download-failure", choice);
            assertEquals(1, run.status(), run.toString());
            assertEquals("reject REVOKED", firstLine(run), run.toString());
        }
    }

    @Test
    void disabling_revocation_checks_accepts_a_revoked_peer() {
        assertEquals(0, verify("--peer", revoked, "--revocation-check", "disable").status());
    }

    @Test
    void the_validation_time_comes_from_at_or_else_from_the_adapters_clock() {
        assertEquals("reject NOT_YET_VALID", firstLine(verify("--peer", good, "--at", "2025-12-31T23:59:59Z")));
        assertEquals("reject EXPIRED", firstLine(verify("--peer", good, "--at", "2047-01-01")));
        assertEquals("accept OK", firstLine(verify("--peer", good)));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Clock later = Clock.fixed(Instant.parse("2047-01-01T00:00:00Z"), ZoneOffset.UTC);
        int status = Main.standard(later).run(List.of("verify", "--trust", issuing, "--crl", issuingCrl, "--peer",
                good), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("reject EXPIRED\n"));
    }

    @Test
    void the_ike_id_must_be_in_the_peers_subject_alt_name() {
        assertEquals("reject IDENTITY_MISMATCH", firstLine(verify("--peer", good, "--id", "fqdn:gw2.example.net")));
        assertEquals("accept OK", firstLine(verify("--peer", good, "--id", "fqdn:GW1.Example.Net.")));
        assertEquals("accept OK", firstLine(verify("--peer", good, "--id",
                "dn:CN=gw1.example.net, OU=VPN, O=Example, C=US")));
    }

    @Test
    void an_unparseable_peer_is_a_rejection_not_an_error_and_the_note_names_the_file() throws IOException {
        String garbage = write("garbage.pem", "this is not a certificate\n".getBytes(StandardCharsets.US_ASCII));
        Cli.Run run = verify("--peer", garbage);
        assertEquals(1, run.status(), run.toString());
        assertEquals("reject MALFORMED_CERTIFICATE", firstLine(run));
        assertTrue(run.err().startsWith("certgate verify: note: --peer " + garbage + ": neither DER"), run.err());
    }

    @Test
    void a_peer_whose_der_is_damaged_is_rejected_as_malformed() throws IOException {
        byte[] der = ExamplePkiGenerator.files().get("gw-good.pem");
        String text = new String(der, StandardCharsets.US_ASCII);
        String cut = text.substring(0, text.indexOf('\n') + 1) + text.substring(text.indexOf('\n') + 5);
        Cli.Run run = verify("--peer", write("cut.pem", cut.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1, run.status(), run.toString());
        assertEquals("reject MALFORMED_CERTIFICATE", firstLine(run));
    }

    @Test
    void an_unparseable_chain_certificate_is_a_rejection() throws IOException {
        String garbage = write("chain-garbage.der", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
        Cli.Run run = Cli.run("verify", "--trust", root, "--crl", issuingCrl, rootCrl, "--chain", garbage,
                "--peer", good);
        assertEquals(1, run.status(), run.toString());
        assertEquals("reject MALFORMED_CERTIFICATE", firstLine(run));
        assertTrue(run.err().contains("note: --chain " + garbage + ": not a certificate"), run.err());
    }

    // ---- output formats

    @Test
    void text_output_is_verdict_then_indented_trace_then_path() {
        List<String> lines = verify("--peer", good).outLines();
        assertTrue(lines.get(0).matches("(accept|reject) [A-Z_]+"), lines.get(0));
        int path = lines.indexOf("path:");
        assertTrue(path > 1, lines.toString());
        for (String step : lines.subList(1, path)) {
            assertTrue(step.matches("  (gateway|chain|signature|validity|constraints|identity|revocation) +"
                    + "(pass|fail|skipped|info) .*"), step);
        }
        assertTrue(lines.get(path + 1).startsWith("  peer     CN=gw1.example.net"), lines.toString());
    }

    @Test
    void json_output_is_one_object_with_the_path_and_fingerprints() throws Exception {
        Cli.Run run = verify("--peer", good, "--format", "json");
        assertEquals(0, run.status(), run.toString());
        assertEquals(1, run.outLines().size());
        JsonNode json = DecisionFormat.JSON.readTree(run.out());
        assertEquals("req-1", json.get("requestId").asText());
        assertEquals("accept", json.get("verdict").asText());
        assertEquals("OK", json.get("reason").asText());
        assertTrue(json.get("trace").size() >= 4, run.out());
        for (JsonNode step : json.get("trace")) {
            assertTrue(step.get("step").asText().matches("[a-z]+"), step.toString());
            assertTrue(step.get("outcome").asText().matches("pass|fail|skipped|info"), step.toString());
        }
        JsonNode peer = json.get("chain").get(0);
        assertEquals("CN=gw1.example.net, OU=VPN, O=Example, C=US", peer.get("subject").asText());
        assertEquals("CN=Example Issuing CA, O=Example, C=US", peer.get("issuer").asText());
        assertEquals("1001", peer.get("serial").asText());
        assertTrue(peer.get("sha256").asText().matches("[0-9a-f]{64}"), peer.toString());
        assertEquals("peer", peer.get("source").asText());
        assertEquals("trusted", json.get("chain").get(1).get("source").asText());
    }

    // ---- usage errors and unusable files: exit status 2, one line naming the file

    @Test
    void trust_is_required() {
        Cli.Run run = Cli.run("verify", "--peer", good);
        assertEquals(2, run.status());
        assertEquals("certgate verify: --trust FILE is required: the CA certificates that are trusted; "
                + "see 'certgate verify --help'\n", run.err());
    }

    @Test
    void a_peer_or_a_batch_is_required_but_not_both() {
        assertEquals(2, Cli.run("verify", "--trust", issuing).status());
        Cli.Run both = Cli.run("verify", "--trust", issuing, "--peer", good, "--requests", "-");
        assertEquals(2, both.status());
        assertTrue(both.err().contains("--peer and --requests exclude each other"), both.err());
    }

    @Test
    void malformed_option_values_are_usage_errors_that_say_what_is_allowed() {
        assertUsage(verify("--peer", good, "--max-ca-levels", "17"),
                "--max-ca-levels '17' is not a number from 1 to 16");
        assertUsage(verify("--peer", good, "--format", "xml"), "--format 'xml' is not one of json, text");
        assertUsage(verify("--peer", good, "--path-validation", "strict"),
                "--path-validation 'strict' is not one of full, partial");
        assertUsage(verify("--peer", good, "--at", "tomorrow"), "--at: 'tomorrow' is not an ISO-8601 time");
        assertUsage(verify("--peer", good, "--id", "hostname:gw1"), "--id: IKE ID type 'hostname' is not one of");
    }

    @Test
    void an_ike_id_that_is_not_of_its_type_is_a_usage_error_naming_the_value_and_the_form() {
        assertUsage(verify("--peer", good, "--id", "ip:999.1.1.1"), "--id: IKE ID 'ip:999.1.1.1': '999.1.1.1' is"
                + " not an IP address; expected ip:ADDRESS");
        assertUsage(verify("--peer", good, "--id", "dn:garbage="), "--id: IKE ID 'dn:garbage=': 'garbage=' is not"
                + " a DN: ");
        assertUsage(verify("--peer", good, "--id", "ufqdn:no-at"), "--id: IKE ID 'ufqdn:no-at': 'no-at' is not"
                + " an e-mail address; expected ufqdn:LOCAL@DOMAIN");
        assertUsage(verify("--peer", good, "--id", "fqdn:gw1..example.net"), "--id: IKE ID 'fqdn:gw1..example.net':"
                + " 'gw1..example.net' is not a DNS name");
    }

    @Test
    void a_batch_line_with_an_ike_id_not_of_its_type_gets_bad_id_and_the_next_lines_go_on() throws IOException {
        String pem = new String(Files.readAllBytes(Path.of(good)), java.nio.charset.StandardCharsets.US_ASCII)
                .replace("\n", "\\n");
        String lines = "{\"peer\": \"" + pem + "\", \"id\": \"ip:999.1.1.1\", \"at\": \"2030-01-01\"}\n"
                + "{\"peer\": \"" + pem + "\", \"id\": \"fqdn:gw1.example.net\", \"at\": \"2030-01-01\"}\n";
        Cli.Run run = Cli.runWithInput(lines, "verify", "--requests", "-", "--trust", issuing, "--crl", issuingCrl);

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.outLines().get(0).contains("\"code\":\"BAD_ID\"")
                && run.outLines().get(0).contains("'999.1.1.1' is not an IP address"), run.outLines().get(0));
        assertTrue(run.outLines().get(1).contains("\"verdict\":\"accept\""), run.outLines().get(1));
    }

    @Test
    void a_peer_file_that_starts_with_its_ca_gets_a_hint_about_the_order() throws IOException {
        byte[] caFirst = concat(Files.readAllBytes(Path.of(issuing)), Files.readAllBytes(Path.of(good)));
        String file = write("ca-first.pem", caFirst);

        Cli.Run run = verify("--peer", file, "--id", "fqdn:gw1.example.net", "--at", "2030-01-01");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("certgate verify: hint: the first certificate in " + file + " is a CA"
                + " certificate; the peer's own certificate must come first"), run.err());
        Cli.Run rightOrder = verify("--peer", write("peer-first.pem", concat(Files.readAllBytes(Path.of(good)),
                Files.readAllBytes(Path.of(issuing)))), "--id", "fqdn:gw1.example.net", "--at", "2030-01-01");
        assertEquals(0, rightOrder.status(), rightOrder.toString());
        assertEquals("", rightOrder.err());
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static void assertUsage(Cli.Run run, String expected) {
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().startsWith("certgate verify: " + expected), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void a_missing_trust_file_is_exit_status_2_naming_it() {
        String missing = file("no-such-ca.pem");
        Cli.Run run = verify("--peer", good, "--trust", missing);
        assertEquals(2, run.status());
        assertEquals("certgate verify: --trust " + missing + ": cannot read: no such file\n", run.err());
    }

    @Test
    void a_crl_given_as_trust_is_exit_status_2_naming_the_file_and_the_problem() {
        Cli.Run run = Cli.run("verify", "--trust", issuingCrl, "--peer", good);
        assertEquals(2, run.status());
        assertEquals("certgate verify: --trust " + issuingCrl + ": the PEM block on line 1 is 'X509 CRL', expected "
                + "'CERTIFICATE'\n", run.err());
    }

    @Test
    void a_certificate_given_as_a_crl_is_exit_status_2() {
        Cli.Run run = Cli.run("verify", "--trust", issuing, "--crl", root, "--peer", good);
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("certgate verify: --crl " + root + ": the PEM block on line 1 is "
                + "'CERTIFICATE', expected 'X509 CRL'"), run.err());
    }

    @Test
    void a_damaged_crl_is_exit_status_2() throws IOException {
        byte[] der = java.util.Base64.getMimeDecoder().decode(Files.readString(Path.of(issuingCrl))
                .replaceAll("-----[A-Z0-9 ]+-----", ""));
        String truncated = write("truncated.crl", java.util.Arrays.copyOf(der, der.length - 10));
        Cli.Run run = Cli.run("verify", "--trust", issuing, "--crl", truncated, "--peer", good);
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("certgate verify: --crl " + truncated + ": not a CRL: "), run.err());
    }

    @Test
    void a_missing_peer_file_is_exit_status_2() {
        String missing = file("no-such-peer.pem");
        Cli.Run run = verify("--peer", missing);
        assertEquals(2, run.status());
        assertEquals("certgate verify: --peer " + missing + ": cannot read: no such file\n", run.err());
    }

    // ---- batch

    @Test
    void a_batch_answers_every_line_in_order_and_a_bad_line_does_not_stop_the_rest() throws Exception {
        String goodPem = Files.readString(Path.of(good));
        String revokedPem = Files.readString(Path.of(revoked));
        String input = String.join("\n",
                line(goodPem, "fqdn:gw1.example.net"),
                "{\"peer\": \"unterminated",
                line(revokedPem, null),
                "",
                "{\"chain\": []}",
                line(goodPem, "fqdn:gw2.example.net")) + "\n";
        Cli.Run run = Cli.runWithInput(input, "verify", "--requests", "-", "--trust", issuing, "--crl", issuingCrl);
        assertEquals(1, run.status(), run.toString());
        List<String> lines = run.outLines();
        assertEquals(5, lines.size(), run.toString());
        JsonNode first = DecisionFormat.JSON.readTree(lines.get(0));
        assertEquals("req-1", first.get("requestId").asText());
        assertEquals("accept", first.get("verdict").asText());
        JsonNode second = DecisionFormat.JSON.readTree(lines.get(1));
        assertEquals("req-2", second.get("requestId").asText());
        assertEquals(2, second.get("line").asInt());
        assertEquals("NOT_JSON", second.get("error").get("code").asText());
        assertTrue(second.get("error").get("message").asText().startsWith("line 2: not JSON"), lines.get(1));
        JsonNode third = DecisionFormat.JSON.readTree(lines.get(2));
        assertEquals("req-3", third.get("requestId").asText());
        assertEquals("REVOKED", third.get("reason").asText());
        JsonNode fifth = DecisionFormat.JSON.readTree(lines.get(3));
        assertEquals("req-5", fifth.get("requestId").asText());
        assertEquals("MISSING_FIELD", fifth.get("error").get("code").asText());
        JsonNode sixth = DecisionFormat.JSON.readTree(lines.get(4));
        assertEquals("IDENTITY_MISMATCH", sixth.get("reason").asText());
    }

    @Test
    void a_batch_of_acceptances_exits_0_and_takes_its_time_from_the_line_or_the_command_line() throws Exception {
        String goodPem = Files.readString(Path.of(good));
        String lines = line(goodPem, null) + "\n"
                + "{\"peer\": " + DecisionFormat.JSON.writeValueAsString(goodPem) + ", \"at\": \"2047-01-01\"}\n";
        Cli.Run run = Cli.runWithInput(lines, "verify", "--requests", "-", "--trust", issuing, "--crl", issuingCrl,
                "--at", "2030-06-01T00:00:00Z");
        assertEquals(1, run.status(), run.toString());
        assertEquals("accept", DecisionFormat.JSON.readTree(run.outLines().get(0)).get("verdict").asText());
        assertEquals("EXPIRED", DecisionFormat.JSON.readTree(run.outLines().get(1)).get("reason").asText());

        Cli.Run allGood = Cli.runWithInput(line(goodPem, null) + "\n" + line(goodPem, "fqdn:gw1.example.net"),
                "verify", "--requests", "-", "--trust", issuing, "--crl", issuingCrl);
        assertEquals(0, allGood.status(), allGood.toString());
        assertEquals(2, allGood.outLines().size());
    }

    @Test
    void a_batch_reads_from_a_file_too_and_a_missing_one_is_exit_status_2() throws Exception {
        String requests = write("requests.jsonl",
                (line(Files.readString(Path.of(good)), null) + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, Cli.run("verify", "--requests", requests, "--trust", issuing, "--crl", issuingCrl).status());
        String missing = file("no-such-requests.jsonl");
        Cli.Run run = Cli.run("verify", "--requests", missing, "--trust", issuing);
        assertEquals(2, run.status());
        assertEquals("certgate verify: --requests " + missing + ": cannot read: no such file\n", run.err());
    }

    @Test
    void a_peer_in_a_line_that_is_not_a_certificate_is_a_rejection() {
        Cli.Run run = Cli.runWithInput("{\"peer\": \"not a certificate\"}\n", "verify", "--requests", "-",
                "--trust", issuing);
        assertEquals(1, run.status());
        assertTrue(run.out().contains("\"reason\":\"MALFORMED_CERTIFICATE\""), run.out());
    }

    @Test
    void a_batch_refuses_text_output_and_a_command_line_chain() {
        assertEquals(2, Cli.run("verify", "--requests", "-", "--trust", issuing, "--format", "text").status());
        assertEquals(2, Cli.run("verify", "--requests", "-", "--trust", issuing, "--chain", issuing).status());
    }

    private static String line(String peerPem, String id) throws IOException {
        StringBuilder line = new StringBuilder("{\"peer\": ").append(DecisionFormat.JSON.writeValueAsString(peerPem));
        if (id != null) {
            line.append(", \"id\": \"").append(id).append('"');
        }
        return line.append('}').toString();
    }
}
