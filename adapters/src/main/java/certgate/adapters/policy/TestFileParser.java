package certgate.adapters.policy;

import certgate.adapters.policy.PolicyTestFile.Case;
import certgate.adapters.policy.PolicyTestFile.Expectation;
import certgate.adapters.policy.PolicyTestFile.Explicit;
import certgate.adapters.policy.PolicyTestFile.Named;
import certgate.adapters.policy.PolicyTestFile.Peer;
import certgate.adapters.policy.PolicyTestFile.Relative;
import certgate.adapters.policy.PolicyTestFile.SubjectAltName;
import certgate.adapters.policy.PolicyTestFile.Validity;
import certgate.adapters.policy.TestFileException.Problem;
import certgate.adapters.policy.Yaml.At;
import certgate.adapters.policy.Yaml.Entry;
import certgate.adapters.policy.Yaml.Mapping;
import certgate.adapters.policy.Yaml.Node;
import certgate.adapters.policy.Yaml.Scalar;
import certgate.adapters.policy.Yaml.ScalarKind;
import certgate.adapters.policy.Yaml.Sequence;
import certgate.adapters.text.Suggest;
import certgate.adapters.text.Times;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a policy test file ({@code *.tests.yaml}) into a {@link PolicyTestFile}, or reports every problem it
 * finds, located at its line and column. Never throws anything else, whatever the bytes: a damaged file is a
 * {@link TestFileException}, never a case that silently means something else.
 */
public final class TestFileParser {
    public static final int MAX_BYTES = 1 << 20;
    static final int MAX_CASES = 10_000;

    private static final List<String> ROOT_KEYS = List.of("policy", "at", "cases");
    private static final List<String> CASE_KEYS = List.of("name", "peer", "ike-id", "gateway", "expect");
    private static final List<String> PEER_KEYS = List.of("subject", "san", "validity", "not-before", "not-after",
            "revoked", "profile");
    private static final List<String> EXPECT_KEYS = List.of("verdict", "reason", "gateway");

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private TestFileParser(String file) {
        this.file = file;
    }

    public static PolicyTestFile parse(String file, byte[] bytes) throws TestFileException {
        return new TestFileParser(file).parse(bytes);
    }

    private PolicyTestFile parse(byte[] bytes) throws TestFileException {
        if (bytes.length > MAX_BYTES) {
            throw single(At.START, "", "the file has " + bytes.length + " bytes; test files are limited to "
                    + MAX_BYTES + " bytes (1 MiB)", null);
        }
        String text = decode(bytes);
        Node root;
        try {
            root = Yaml.read(text);
        } catch (Yaml.SyntaxError e) {
            throw single(e.at(), "", e.getMessage(), null);
        } catch (RuntimeException | StackOverflowError e) {
            throw single(At.START, "", "the YAML reader failed: " + e, null);
        }
        Optional<PolicyTestFile> tests = file(root);
        if (!problems.isEmpty() || tests.isEmpty()) {
            throw new TestFileException(problems.isEmpty()
                    ? List.of(problem(At.START, "", "the file holds no test", null)) : problems);
        }
        return tests.get();
    }

    private String decode(byte[] bytes) throws TestFileException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstBadByte(bytes, start);
            String before = new String(bytes, start, bad - start, StandardCharsets.UTF_8);
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - before.lastIndexOf('\n');
            throw single(new At(line, column), "", String.format("byte 0x%02x at offset %d is not valid UTF-8",
                    bytes[bad] & 0xff, bad), "save the file as UTF-8");
        }
    }

    private static int firstBadByte(byte[] bytes, int start) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        decoder.decode(in, CharBuffer.allocate(bytes.length), true);
        return Math.min(in.position(), bytes.length - 1);
    }

    private Optional<PolicyTestFile> file(Node root) {
        Optional<Mapping> mapping = mapping(root, "", "a test file is a mapping with `policy`, `at` and `cases`");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Mapping map = mapping.get();
        keys(map, "", ROOT_KEYS);
        Optional<Scalar> policy = required(map, "policy", "").flatMap(node -> string(node, "policy"));
        Optional<Instant> at = map.get("at").flatMap(node -> time(node, "at"));
        List<Case> cases = new ArrayList<>();
        Optional<Node> casesNode = required(map, "cases", "");
        if (casesNode.isPresent()) {
            if (casesNode.get() instanceof Sequence list) {
                if (list.items().isEmpty()) {
                    error(list.at(), "cases", "`cases` is empty", "add at least one case");
                } else if (list.items().size() > MAX_CASES) {
                    error(list.at(), "cases", "more than " + MAX_CASES + " cases in one file", "split the file");
                } else {
                    Map<String, At> names = new HashMap<>();
                    for (int i = 0; i < list.items().size(); i++) {
                        testCase(list.items().get(i), i, names).ifPresent(cases::add);
                    }
                }
            } else {
                wrongType(casesNode.get(), "cases", "a list of cases");
            }
        }
        if (policy.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        String policyFile = policy.get().text();
        if (policyFile.isBlank()) {
            error(policy.get().at(), "policy", "`policy` is empty", "name the policy file, relative to this file");
            return Optional.empty();
        }
        return Optional.of(new PolicyTestFile(file, policyFile, policy.get().at(), at, cases));
    }

    private Optional<Case> testCase(Node node, int index, Map<String, At> names) {
        String path = "cases[" + index + "]";
        Optional<Mapping> mapping = mapping(node, path, "a case is a mapping with `name`, `peer`, `ike-id` and"
                + " `expect`");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Mapping map = mapping.get();
        keys(map, path, CASE_KEYS);
        Optional<Scalar> name = required(map, "name", path).flatMap(n -> string(n, path + ".name"));
        name.ifPresent(n -> {
            At first = names.putIfAbsent(n.text(), n.at());
            if (first != null) {
                error(n.at(), path + ".name", "another case is named `" + n.text() + "` (line " + first.line() + ")",
                        "give every case its own name: the output tells cases apart by it");
            }
        });
        Optional<Peer> peer = required(map, "peer", path).flatMap(n -> peer(n, path + ".peer"));
        Optional<IkeIdentity> ikeId = map.get("ike-id").flatMap(n -> ikeId(n, path + ".ike-id"));
        Optional<Named> gateway = map.get("gateway").flatMap(n -> named(n, path + ".gateway"));
        if (map.get("ike-id").isEmpty() && map.get("gateway").isEmpty()) {
            error(map.at(), path, "the case has no `ike-id`", "give the IKE ID the peer presents, TYPE:VALUE"
                    + " (or name a `gateway` to skip the lookup)");
        }
        Optional<Expectation> expect = required(map, "expect", path).flatMap(n -> expect(n, path + ".expect"));
        if (name.isEmpty() || peer.isEmpty() || expect.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Case(index, map.at(), name.get().text(), peer.get(), ikeId, gateway, expect.get()));
    }

    private Optional<Peer> peer(Node node, String path) {
        Optional<Mapping> mapping = mapping(node, path, "a peer is a mapping with `subject` and `profile`");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Mapping map = mapping.get();
        keys(map, path, PEER_KEYS);
        Optional<DistinguishedName> subject = required(map, "subject", path)
                .flatMap(n -> string(n, path + ".subject")).flatMap(s -> dn(s, path + ".subject"));
        List<SubjectAltName> sans = new ArrayList<>();
        boolean sansOk = true;
        Optional<Node> sanNode = map.get("san");
        if (sanNode.isPresent()) {
            if (sanNode.get() instanceof Sequence list) {
                for (int i = 0; i < list.items().size(); i++) {
                    String itemPath = path + ".san[" + i + "]";
                    Optional<SubjectAltName> san = string(list.items().get(i), itemPath)
                            .flatMap(s -> san(s, itemPath));
                    san.ifPresent(sans::add);
                    sansOk &= san.isPresent();
                }
            } else {
                wrongType(sanNode.get(), path + ".san", "a list such as [\"dns:gw.example.net\", \"ip:192.0.2.1\"]");
                sansOk = false;
            }
        }
        Optional<Validity> validity = validity(map, path);
        Optional<Boolean> revoked = map.get("revoked").isEmpty() ? Optional.of(false)
                : bool(map.get("revoked").get(), path + ".revoked");
        Optional<Named> profile = required(map, "profile", path).flatMap(n -> named(n, path + ".profile"));
        if (subject.isEmpty() || !sansOk || validity.isEmpty() || revoked.isEmpty() || profile.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Peer(subject.get(), sans, validity.get(), revoked.get(), profile.get()));
    }

    private Optional<Validity> validity(Mapping map, String path) {
        Optional<Node> relative = map.get("validity");
        Optional<Node> notBefore = map.get("not-before");
        Optional<Node> notAfter = map.get("not-after");
        if (relative.isPresent() && (notBefore.isPresent() || notAfter.isPresent())) {
            error(relative.get().at(), path + ".validity", "`validity` and `not-before`/`not-after` exclude each"
                    + " other", "give either `validity: valid|expired|not-yet-valid` or the dates");
            return Optional.empty();
        }
        if (relative.isPresent()) {
            return string(relative.get(), path + ".validity").flatMap(s -> {
                Optional<Relative> kind = Arrays.stream(Relative.values())
                        .filter(r -> keyword(r).equals(s.text())).findFirst();
                if (kind.isEmpty()) {
                    error(s.at(), path + ".validity", "`" + s.text() + "` is not a validity",
                            "one of " + Arrays.stream(Relative.values()).map(TestFileParser::keyword)
                                    .collect(Collectors.joining(", ")) + ", or `not-before`/`not-after` dates");
                }
                return kind.map(Validity.class::cast);
            });
        }
        if (notBefore.isEmpty() && notAfter.isEmpty()) {
            return Optional.of(Relative.VALID);
        }
        Optional<Instant> from = notBefore.flatMap(n -> time(n, path + ".not-before"));
        Optional<Instant> to = notAfter.flatMap(n -> time(n, path + ".not-after"));
        if (from.isEmpty() != notBefore.isEmpty() || to.isEmpty() != notAfter.isEmpty()) {
            return Optional.empty();
        }
        if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
            error(notAfter.get().at(), path + ".not-after", "`not-after` is before `not-before`", null);
            return Optional.empty();
        }
        return Optional.of(new Explicit(from, to));
    }

    private Optional<Expectation> expect(Node node, String path) {
        Optional<Mapping> mapping = mapping(node, path, "`expect` is a mapping with `verdict` and optionally"
                + " `reason` and `gateway`");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Mapping map = mapping.get();
        keys(map, path, EXPECT_KEYS);
        Optional<Scalar> verdictText = required(map, "verdict", path).flatMap(n -> string(n, path + ".verdict"));
        Optional<Verdict> verdict = verdictText.flatMap(s -> {
            Optional<Verdict> parsed = Arrays.stream(Verdict.values())
                    .filter(v -> v.name().toLowerCase(Locale.ROOT).equals(s.text())).findFirst();
            if (parsed.isEmpty()) {
                error(s.at(), path + ".verdict", "`" + s.text() + "` is not a verdict", "accept or reject");
            }
            return parsed;
        });
        Optional<Scalar> reasonText = map.get("reason").flatMap(n -> string(n, path + ".reason"));
        Optional<Reason> reason = reasonText.flatMap(s -> {
            Optional<Reason> parsed = Arrays.stream(Reason.values()).filter(r -> r.name().equals(s.text()))
                    .findFirst();
            if (parsed.isEmpty()) {
                List<String> all = Arrays.stream(Reason.values()).map(Reason::name).toList();
                error(s.at(), path + ".reason", "`" + s.text() + "` is not a reason code",
                        Suggest.closest(s.text().toUpperCase(Locale.ROOT), all)
                                .map(c -> "did you mean `" + c + "`?")
                                .orElse("one of " + String.join(", ", all)));
            }
            return parsed;
        });
        Optional<Named> gateway = map.get("gateway").flatMap(n -> named(n, path + ".gateway"));
        if (verdict.isEmpty() || reason.isEmpty() != map.get("reason").isEmpty()
                || gateway.isEmpty() != map.get("gateway").isEmpty()) {
            return Optional.empty();
        }
        if (reason.isPresent() && (reason.get() == Reason.OK) != (verdict.get() == Verdict.ACCEPT)) {
            error(reasonText.get().at(), path + ".reason", "verdict " + verdictText.get().text()
                    + " cannot come with reason " + reason.get(), "an accepted peer has reason OK, a rejected one"
                    + " any other reason");
            return Optional.empty();
        }
        return Optional.of(new Expectation(verdict.get(), reason, gateway));
    }

    private Optional<SubjectAltName> san(Scalar scalar, String path) {
        String text = scalar.text();
        int colon = text.indexOf(':');
        String type = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        String help = "write TYPE:VALUE with TYPE dns, ip or email: \"dns:gw.example.net\", \"ip:192.0.2.1\","
                + " \"email:vpn@example.net\"";
        Optional<SubjectAltName.Kind> kind = switch (type) {
            case "dns" -> HostName.fqdn(value).isPresent() || isDnsWildcard(value)
                    ? Optional.of(SubjectAltName.Kind.DNS) : Optional.empty();
            case "ip" -> IpAddress.parse(value).isPresent() ? Optional.of(SubjectAltName.Kind.IP) : Optional.empty();
            case "email" -> HostName.mailbox(value).isPresent() ? Optional.of(SubjectAltName.Kind.EMAIL)
                    : Optional.empty();
            default -> Optional.empty();
        };
        if (kind.isEmpty()) {
            error(scalar.at(), path, "`" + text + "` is not a subjectAltName"
                    + (Set.of("dns", "ip", "email").contains(type) ? ": the " + type + " value is malformed" : ""),
                    help);
            return Optional.empty();
        }
        return Optional.of(new SubjectAltName(kind.get(), value));
    }

    private static boolean isDnsWildcard(String value) {
        return value.startsWith("*.") && HostName.fqdn(value.substring(2)).isPresent();
    }

    private Optional<IkeIdentity> ikeId(Node node, String path) {
        return string(node, path).flatMap(s -> {
            try {
                IkeIdentity id = IkeIdentity.parse(s.text());
                if (id.type() == IkeIdentity.Type.DN) {
                    DistinguishedName.parse(id.value());
                }
                return Optional.of(id);
            } catch (IllegalArgumentException | DnSyntaxException e) {
                error(s.at(), path, "`" + s.text() + "` is not an IKE ID: " + e.getMessage(),
                        "write TYPE:VALUE with TYPE ip, fqdn, ufqdn or dn: \"fqdn:gw.example.net\"");
                return Optional.empty();
            }
        });
    }

    private Optional<DistinguishedName> dn(Scalar scalar, String path) {
        try {
            DistinguishedName dn = DistinguishedName.parse(scalar.text());
            if (dn.isEmpty()) {
                error(scalar.at(), path, "the subject is empty", "write a DN such as \"CN=gw1, O=Corp, C=US\"");
                return Optional.empty();
            }
            return Optional.of(dn);
        } catch (DnSyntaxException e) {
            error(scalar.at(), path, "malformed DN `" + scalar.text() + "`: " + e.problem(),
                    "RFC 4514 text, most specific RDN first: \"CN=gw1, OU=VPN, O=Corp, C=US\"");
            return Optional.empty();
        }
    }

    private Optional<Named> named(Node node, String path) {
        return string(node, path).flatMap(s -> {
            if (s.text().isBlank()) {
                error(s.at(), path, "the name is empty", null);
                return Optional.empty();
            }
            return Optional.of(new Named(s.text(), s.at(), path));
        });
    }

    private Optional<Instant> time(Node node, String path) {
        return string(node, path).flatMap(s -> {
            try {
                return Optional.of(Times.parse(s.text()));
            } catch (IllegalArgumentException e) {
                error(s.at(), path, e.getMessage(), "an ISO-8601 time such as 2025-06-01T12:00:00Z");
                return Optional.empty();
            }
        });
    }

    private Optional<Boolean> bool(Node node, String path) {
        // YAML 1.1 also reads yes/no/on/off as booleans: only the words true and false are taken, so that no
        // spelling is silently read as the other value.
        if (node instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.BOOLEAN
                && (scalar.text().equals("true") || scalar.text().equals("false"))) {
            return Optional.of(scalar.text().equals("true"));
        }
        if (node instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.BOOLEAN) {
            error(scalar.at(), path, "`" + scalar.text() + "` is not a boolean here", "write true or false (YAML 1.1"
                    + " words such as yes, no, on, off are not taken)");
            return Optional.empty();
        }
        wrongType(node, path, "true or false");
        return Optional.empty();
    }

    private Optional<Scalar> string(Node node, String path) {
        // Numbers are accepted as their text: a case named 42 is the case "42".
        if (node instanceof Scalar scalar && (scalar.scalarKind() == ScalarKind.STRING
                || scalar.scalarKind() == ScalarKind.NUMBER)) {
            return Optional.of(scalar);
        }
        wrongType(node, path, "a string");
        return Optional.empty();
    }

    private Optional<Mapping> mapping(Node node, String path, String expected) {
        if (node instanceof Mapping mapping) {
            return Optional.of(mapping);
        }
        error(node.at(), path, "expected a mapping, found " + node.kind(), expected);
        return Optional.empty();
    }

    private Optional<Node> required(Mapping map, String key, String path) {
        Optional<Node> node = map.get(key);
        if (node.isEmpty()) {
            error(map.at(), path.isEmpty() ? key : path + "." + key, "missing key `" + key + "`"
                    + (path.isEmpty() ? "" : " in " + path), null);
        }
        return node;
    }

    private void keys(Mapping map, String path, List<String> allowed) {
        for (Entry entry : map.entries().values()) {
            if (!allowed.contains(entry.key())) {
                String where = path.isEmpty() ? entry.key() : path + "." + entry.key();
                error(entry.keyAt(), where, "unknown key `" + entry.key() + "`" + (path.isEmpty() ? "" : " in " + path),
                        Suggest.closest(entry.key(), allowed).map(c -> "did you mean `" + c + "`?")
                                .orElse("allowed here: " + String.join(", ", allowed)));
            }
        }
    }

    private void wrongType(Node node, String path, String expected) {
        error(node.at(), path, "expected " + expected + ", found " + node.kind(), null);
    }

    private static String keyword(Relative relative) {
        return relative.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void error(At at, String path, String message, String help) {
        problems.add(problem(at, path, message, help));
    }

    private Problem problem(At at, String path, String message, String help) {
        return new Problem(file, at.line(), at.column(), path, message, Optional.ofNullable(help));
    }

    private TestFileException single(At at, String path, String message, String help) {
        return new TestFileException(List.of(problem(at, path, message, help)));
    }
}
