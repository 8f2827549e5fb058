package certgate.adapters.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.policy.PolicyTestFile.Case;
import certgate.adapters.policy.PolicyTestFile.Explicit;
import certgate.adapters.policy.PolicyTestFile.Relative;
import certgate.adapters.policy.PolicyTestFile.SubjectAltName;
import certgate.adapters.policy.TestFileException.Problem;
import certgate.dsl.YamlReader;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading {@code *.tests.yaml}: what a file means, and where each mistake is. */
class TestFileParserTest {
    static final String VALID = """
            policy: branch-offices.yaml
            at: 2025-06-01T12:00:00Z
            cases:
              - name: a branch router
                peer:
                  subject: "CN=branch-017, OU=Branches, O=Corp"
                  san: ["dns:b17.corp.example", "ip:192.0.2.7", "email:ops@corp.example"]
                  profile: corp
                ike-id: "dn:CN=branch-017, OU=Branches, O=Corp"
                expect: {verdict: accept, gateway: branches}
              - name: an expired one, revoked too
                peer: {subject: "CN=b1, OU=Branches, O=Corp", validity: expired, revoked: true, profile: corp}
                ike-id: "dn:CN=b1, OU=Branches, O=Corp"
                expect: {verdict: reject, reason: EXPIRED}
              - name: dates given, gateway named
                peer:
                  subject: "CN=hq"
                  not-before: 2025-06-01T12:03:00Z
                  profile: corp
                gateway: hq
                expect: {verdict: reject, reason: NOT_YET_VALID, gateway: hq}
            """;

    static PolicyTestFile parse(String text) throws TestFileException {
        return TestFileParser.parse("t.tests.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    static List<Problem> problems(String text) {
        return assertThrows(TestFileException.class, () -> parse(text)).problems();
    }

    @Test
    void a_valid_file_reads_as_written() throws TestFileException {
        PolicyTestFile file = parse(VALID);
        assertEquals("branch-offices.yaml", file.policy());
        assertEquals(Optional.of(Instant.parse("2025-06-01T12:00:00Z")), file.at());
        assertEquals(3, file.cases().size());
        Case first = file.cases().get(0);
        assertEquals("a branch router", first.name());
        assertEquals(4, first.at().line());
        assertEquals("CN=branch-017, OU=Branches, O=Corp", first.peer().subject().toString());
        assertEquals(List.of(new SubjectAltName(SubjectAltName.Kind.DNS, "b17.corp.example"),
                new SubjectAltName(SubjectAltName.Kind.IP, "192.0.2.7"),
                new SubjectAltName(SubjectAltName.Kind.EMAIL, "ops@corp.example")), first.peer().subjectAltNames());
        assertEquals(Relative.VALID, first.peer().validity());
        assertEquals(false, first.peer().revoked());
        assertEquals("corp", first.peer().profile().name());
        assertEquals(Optional.of(IkeIdentity.parse("dn:CN=branch-017, OU=Branches, O=Corp")), first.ikeId());
        assertEquals(Verdict.ACCEPT, first.expect().verdict());
        assertEquals(Optional.empty(), first.expect().reason());
        assertEquals("branches", first.expect().gateway().orElseThrow().name());
        Case second = file.cases().get(1);
        assertEquals(Relative.EXPIRED, second.peer().validity());
        assertTrue(second.peer().revoked());
        assertEquals(Optional.of(Reason.EXPIRED), second.expect().reason());
        Case third = file.cases().get(2);
        assertEquals(new Explicit(Optional.of(Instant.parse("2025-06-01T12:03:00Z")), Optional.empty()),
                third.peer().validity());
        assertEquals(Optional.empty(), third.ikeId());
        assertEquals("hq", third.gateway().orElseThrow().name());
    }

    @Test
    void every_problem_of_a_file_is_reported_with_its_line_column_and_path() {
        List<Problem> problems = problems("""
                policy: p.yaml
                cases:
                  - name: x
                    peer:
                      subjct: "CN=a"
                      profile: corp
                    ike-id: "fqdn"
                    expect: {verdict: maybe, reason: REVOKD}
                """);
        assertEquals(List.of("5:7 cases[0].peer.subjct unknown key `subjct` in cases[0].peer",
                        "5:7 cases[0].peer.subject missing key `subject` in cases[0].peer",
                        "7:13 cases[0].ike-id `fqdn` is not an IKE ID: IKE ID 'fqdn' is not TYPE:VALUE (TYPE one"
                                + " of ip, fqdn, ufqdn, dn)",
                        "8:23 cases[0].expect.verdict `maybe` is not a verdict",
                        "8:38 cases[0].expect.reason `REVOKD` is not a reason code"),
                problems.stream().map(p -> p.line() + ":" + p.column() + " " + p.path() + " " + p.message()).toList());
        assertEquals(Optional.of("did you mean `subject`?"), problems.get(0).help());
        assertEquals(Optional.of("did you mean `REVOKED`?"), problems.get(4).help());
        assertEquals("t.tests.yaml:5:7: unknown key `subjct` in cases[0].peer\n    at: cases[0].peer.subjct\n"
                + "    help: did you mean `subject`?", problems.get(0).toString());
    }

    @Test
    void yaml_1_1_booleans_other_than_true_and_false_are_refused_not_read_as_false() {
        List<Problem> problems = problems(VALID.replace("revoked: true", "revoked: yes"));
        assertEquals("cases[1].peer.revoked", problems.get(0).path());
        assertEquals("`yes` is not a boolean here", problems.get(0).message());
    }

    @Test
    void unanchored_aliases_tags_duplicate_keys_and_second_documents_are_refused_where_they_are() {
        assertEquals("1:9", at(problems("policy: *p\n")));
        assertEquals("1:9", at(problems("policy: !!str p.yaml\n")));
        assertEquals("2:1", at(problems("policy: a\npolicy: b\n")));
        assertEquals("3:1", at(problems("policy: a\n---\npolicy: b\n")));
    }

    @Test
    void anchors_and_aliases_read_as_in_a_policy() throws TestFileException {
        PolicyTestFile file = parse(VALID.replace("profile: corp\n    ike-id", "profile: &p corp\n    ike-id")
                .replace("profile: corp}", "profile: *p }"));
        assertEquals(List.of("corp", "corp", "corp"), file.cases().stream().map(c -> c.peer().profile().name())
                .toList());
    }

    @Test
    void a_test_file_is_held_to_the_bounds_of_a_policy() {
        String deep = "policy: p.yaml\ncases: " + "[".repeat(YamlReader.MAX_DEPTH) + "]".repeat(YamlReader.MAX_DEPTH);
        Problem tooDeep = problems(deep).get(0);
        assertEquals("2:" + (8 + YamlReader.MAX_DEPTH - 1), tooDeep.line() + ":" + tooDeep.column());
        assertEquals("mappings and lists nest deeper than " + YamlReader.MAX_DEPTH + " levels", tooDeep.message());
        StringBuilder laughs = new StringBuilder("policy: p.yaml\na: &a [lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'f'; level++) {
            laughs.append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", Collections.nCopies(8, "*" + (char) (level - 1)))).append("]\n");
        }
        assertTrue(problems(laughs.toString()).get(0).message().startsWith("YAML aliases expand beyond the limit"));
    }

    @Test
    void contradictions_and_gaps_are_errors() {
        assertTrue(problems(VALID.replace("reason: EXPIRED", "reason: OK")).get(0).message()
                .contains("cannot come with reason OK"));
        assertTrue(problems(VALID.replace("validity: expired,", "validity: expired, not-after: 2025-01-01,"))
                .get(0).message().contains("exclude each other"));
        assertTrue(problems(VALID.replace("    gateway: hq\n", "")).get(0).message().contains("no `ike-id`"));
        assertTrue(problems(VALID.replace("name: dates given, gateway named", "name: a branch router")).get(0)
                .message().contains("another case is named"));
        assertTrue(problems("policy: p.yaml\ncases: []\n").get(0).message().contains("`cases` is empty"));
        assertTrue(problems("").get(0).message().contains("empty"));
        assertTrue(problems("- a\n").get(0).message().contains("expected a mapping"));
    }

    @Test
    void bad_bytes_and_oversized_files_are_located_errors() {
        byte[] bytes = "policy: p.yaml\ncases: [\u00e9]\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xff;
        Problem problem = assertThrows(TestFileException.class, () -> TestFileParser.parse("t", bytes))
                .problems().get(0);
        assertEquals("2:9", problem.line() + ":" + problem.column());
        assertTrue(problem.message().contains("not valid UTF-8"), problem.message());
        byte[] large = new byte[TestFileParser.MAX_BYTES + 1];
        assertTrue(assertThrows(TestFileException.class, () -> TestFileParser.parse("t", large)).getMessage()
                .contains("limited to"));
    }

    private static String at(List<Problem> problems) {
        return problems.get(0).line() + ":" + problems.get(0).column();
    }
}
