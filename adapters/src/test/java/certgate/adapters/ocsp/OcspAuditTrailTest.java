package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.Main;
import certgate.engine.testpki.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an auditor sees of the OCSP answers: the store's commands read a log holding them as any other. */
class OcspAuditTrailTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run certgate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = Main.standard(Clock.fixed(TestPki.NOW, ZoneOffset.UTC))
                    .run(List.of(args), new ByteArrayInputStream(new byte[0]), o, e);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void the_log_with_ocsp_answers_dumps_verifies_replays_and_audits() throws Exception {
        String store = dir.resolve("store").toString();
        try (OcspFixture fixture = new OcspFixture(dir, Clock.fixed(TestPki.NOW, ZoneOffset.UTC))) {
            fixture.loadCrl(fixture.crlRevokingOne(TestPki.NOW));
            OcspResponder responder = new OcspResponder(OcspResponders.load(List.of(new OcspResponders.Files(
                    dir.resolve("responder.pem"), dir.resolve("responder.key"))), fixture.service.state(),
                    TestPki.NOW));
            OcspResponder.Reply reply = responder.respond(fixture.service.state(), OcspEndpointTest.request(
                    OcspEndpointTest.certId(fixture.ca, fixture.revoked.serial(), true), null), TestPki.NOW);
            assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(reply.response()).getStatus());
            fixture.service.appendDurably(reply.answers());
        }
        Run dump = certgate("log", "dump", "--store", store);
        assertEquals(0, dump.status(), dump.err());
        assertTrue(dump.out().contains("EVENT OcspAnswered v1") && dump.out().contains("status=revoked"), dump.out());
        Run json = certgate("log", "dump", "--store", store, "--format", "json");
        assertTrue(json.out().contains("\"status\":\"revoked\""), json.out());
        Run verify = certgate("log", "verify", "--store", store);
        assertEquals(0, verify.status(), verify.out() + verify.err());
        Run replay = certgate("replay", "--store", store);
        assertEquals(0, replay.status(), replay.err());
        Run audit = certgate("audit", "--store", store);
        assertEquals(0, audit.status(), audit.out() + audit.err());
    }
}
