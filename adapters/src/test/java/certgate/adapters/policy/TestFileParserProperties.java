package certgate.adapters.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.policy.TestFileException.Problem;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The test file reader on damaged input: a located, typed error, never another exception or a silent change. */
class TestFileParserProperties {
    /** No default-valued keys (their removal would mean the same) and no '#' inside values. */
    private static final String VALID = """
            policy: branch-offices.yaml   # the policy
            at: 2025-06-01T12:00:00Z
            cases:
              - name: a branch router
                peer:
                  subject: "CN=branch-017, OU=Branches, O=Corp"
                  san: ["dns:b17.corp.example", "ip:192.0.2.7"]
                  validity: expired
                  revoked: true
                  profile: corp
                ike-id: "dn:CN=branch-017, OU=Branches, O=Corp"
                expect: {verdict: reject, reason: REVOKED, gateway: branches}
              - name: dates
                peer: {subject: "CN=hq, O=Corp", not-before: 2025-06-01T12:03:00Z, profile: corp}
                gateway: hq
                expect:
                  verdict: accept
            """;

    @Test
    void a_damaged_file_gives_located_problems_or_reads_as_a_change_that_shows() throws TestFileException {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        PolicyTestFile original = TestFileParser.parse("t", valid);
        Property.forAll(Gens.damaged(valid)).tries(1000).check(damaged -> {
            Optional<PolicyTestFile> read;
            try {
                read = Optional.of(TestFileParser.parse("t", damaged));
            } catch (TestFileException e) {
                assertInside(e.problems(), damaged);
                return;
            }
            // Read without error: if it means exactly what the original meant, the damage touched nothing but
            // comments, blanks, quotes or the case of words that do not care.
            if (read.get().equals(original)) {
                assertEquals(meaning(VALID), meaning(new String(damaged, StandardCharsets.UTF_8)),
                        "a change of content was read as the original");
            }
        });
    }

    @Test
    void random_bytes_never_escape_as_anything_but_a_test_file_exception() {
        Property.forAll(Gens.bytes(0, 300)).tries(500).check(bytes -> {
            try {
                TestFileParser.parse("t", bytes);
            } catch (TestFileException e) {
                assertFalse(e.problems().isEmpty());
                assertInside(e.problems(), bytes);
            }
        });
    }

    /**
     * The text without comments, blanks, quotes and case, and with times written in full: 12:00Z is the instant
     * 12:00:00Z (ISO 8601 lets the seconds be left out), so a damage that drops ":00" changes nothing.
     */
    private static String meaning(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.lines().toList()) {
            int hash = line.indexOf('#');
            out.append(hash < 0 ? line : line.substring(0, hash));
        }
        return out.toString().replaceAll("[\\s\"']", "").toLowerCase(Locale.ROOT)
                .replaceAll("t(\\d{2}):(\\d{2})z", "t$1:$2:00z");
    }

    private static void assertInside(List<Problem> problems, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        long lines = text.lines().count();
        for (Problem problem : problems) {
            assertTrue(problem.line() >= 1 && problem.line() <= Math.max(1, lines + 1), problem + " (" + lines
                    + " lines)");
            assertTrue(problem.column() >= 1, problem.toString());
        }
    }
}
