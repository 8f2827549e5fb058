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
import certgate.adapters.text.Times;
import certgate.dsl.Diagnostic;
import certgate.dsl.Suggestions;
import certgate.dsl.YamlNode.Entry;
import certgate.dsl.YamlNode.Location;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.YamlNode.Sequence;
import certgate.dsl.YamlNode;
import certgate.dsl.YamlReader;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
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
    public static final int MAX_BYTES = YamlReader.MAX_BYTES;
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
        YamlReader.Read read;
        try {
            read = YamlReader.read(file, bytes);
        } catch (RuntimeException | StackOverflowError e) {
            throw single(Location.START, "", "the YAML reader failed: " + e, null);
        }
        if (read.hasErrors()) {
            throw new TestFileException(read.diagnostics().stream().filter(Diagnostic::isError)
                    .map(d -> new Problem(file, d.line(), d.column(), d.keyPath(), d.message(), d.help())).toList());
        }
        if (read.root().isEmpty()) {
            throw single(Location.START, "", "the file is empty", null);
        }
        Optional<PolicyTestFile> tests = file(read.root().get());
        if (!problems.isEmpty() || tests.isEmpty()) {
            throw new TestFileException(problems.isEmpty()
                    ? List.of(problem(Location.START, "", "the file holds no test", null)) : problems);
        }
        return tests.get();
    }

    private Optional<PolicyTestFile> file(YamlNode root) {
        Optional<Mapping> mapping = mapping(root, "", "a test file is a mapping with `policy`, `at` and `cases`");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Mapping map = mapping.get();
        keys(map, "", ROOT_KEYS);
        Optional<Scalar> policy = required(map, "policy", "").flatMap(node -> string(node, "policy"));
        Optional<Instant> at = map.get("at").flatMap(node -> time(node, "at"));
        List<Case> cases = new ArrayList<>();
        Optional<YamlNode> casesNode = required(map, "cases", "");
        if (casesNode.isPresent()) {
            if (casesNode.get() instanceof Sequence list) {
                if (list.items().isEmpty()) {
                    error(list.location(), "cases", "`cases` is empty", "add at least one case");
                } else if (list.items().size() > MAX_CASES) {
                    error(list.location(), "cases", "more than " + MAX_CASES + " cases in one file", "split the file");
                } else {
                    Map<String, Location> names = new HashMap<>();
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
            error(policy.get().location(), "policy", "`policy` is empty",
                    "name the policy file, relative to this file");
            return Optional.empty();
        }
        return Optional.of(new PolicyTestFile(file, policyFile, policy.get().location(), at, cases));
    }

    private Optional<Case> testCase(YamlNode node, int index, Map<String, Location> names) {
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
            Location first = names.putIfAbsent(n.text(), n.location());
            if (first != null) {
                error(n.location(), path + ".name", "another case is named `" + n.text() + "` (line "
                        + first.line() + ")", "give every case its own name: the output tells cases apart by it");
            }
        });
        Optional<Peer> peer = required(map, "peer", path).flatMap(n -> peer(n, path + ".peer"));
        Optional<IkeIdentity> ikeId = map.get("ike-id").flatMap(n -> ikeId(n, path + ".ike-id"));
        Optional<Named> gateway = map.get("gateway").flatMap(n -> named(n, path + ".gateway"));
        if (map.get("ike-id").isEmpty() && map.get("gateway").isEmpty()) {
            error(map.location(), path, "the case has no `ike-id`", "give the IKE ID the peer presents, TYPE:VALUE"
                    + " (or name a `gateway` to skip the lookup)");
        }
        Optional<Expectation> expect = required(map, "expect", path).flatMap(n -> expect(n, path + ".expect"));
        if (name.isEmpty() || peer.isEmpty() || expect.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Case(index, map.location(), name.get().text(), peer.get(), ikeId, gateway,
                expect.get()));
    }

    private Optional<Peer> peer(YamlNode node, String path) {
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
        Optional<YamlNode> sanNode = map.get("san");
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
        Optional<YamlNode> relative = map.get("validity");
        Optional<YamlNode> notBefore = map.get("not-before");
        Optional<YamlNode> notAfter = map.get("not-after");
        if (relative.isPresent() && (notBefore.isPresent() || notAfter.isPresent())) {
            error(relative.get().location(), path + ".validity", "`validity` and `not-before`/`not-after` exclude each"
                    + " other", "give either `validity: valid|expired|not-yet-valid` or the dates");
            return Optional.empty();
        }
        if (relative.isPresent()) {
            return string(relative.get(), path + ".validity").flatMap(s -> {
                Optional<Relative> kind = Arrays.stream(Relative.values())
                        .filter(r -> keyword(r).equals(s.text())).findFirst();
                if (kind.isEmpty()) {
                    error(s.location(), path + ".validity", "`" + s.text() + "` is not a validity",
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
            error(notAfter.get().location(), path + ".not-after", "`not-after` is before `not-before`", null);
            return Optional.empty();
        }
        return Optional.of(new Explicit(from, to));
    }

    private Optional<Expectation> expect(YamlNode node, String path) {
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
                error(s.location(), path + ".verdict", "`" + s.text() + "` is not a verdict", "accept or reject");
            }
            return parsed;
        });
        Optional<Scalar> reasonText = map.get("reason").flatMap(n -> string(n, path + ".reason"));
        Optional<Reason> reason = reasonText.flatMap(s -> {
            Optional<Reason> parsed = Arrays.stream(Reason.values()).filter(r -> r.name().equals(s.text()))
                    .findFirst();
            if (parsed.isEmpty()) {
                List<String> all = Arrays.stream(Reason.values()).map(Reason::name).toList();
                error(s.location(), path + ".reason", "`" + s.text() + "` is not a reason code",
                        Suggestions.closest(s.text(), all)
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
            error(reasonText.get().location(), path + ".reason", "verdict " + verdictText.get().text()
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
            error(scalar.location(), path, "`" + text + "` is not a subjectAltName"
                    + (Set.of("dns", "ip", "email").contains(type) ? ": the " + type + " value is malformed" : ""),
                    help);
            return Optional.empty();
        }
        return Optional.of(new SubjectAltName(kind.get(), value));
    }

    private static boolean isDnsWildcard(String value) {
        return value.startsWith("*.") && HostName.fqdn(value.substring(2)).isPresent();
    }

    private Optional<IkeIdentity> ikeId(YamlNode node, String path) {
        return string(node, path).flatMap(s -> {
            try {
                IkeIdentity id = IkeIdentity.parse(s.text());
                if (id.type() == IkeIdentity.Type.DN) {
                    DistinguishedName.parse(id.value());
                }
                return Optional.of(id);
            } catch (IllegalArgumentException | DnSyntaxException e) {
                error(s.location(), path, "`" + s.text() + "` is not an IKE ID: " + e.getMessage(),
                        "write TYPE:VALUE with TYPE ip, fqdn, ufqdn or dn: \"fqdn:gw.example.net\"");
                return Optional.empty();
            }
        });
    }

    private Optional<DistinguishedName> dn(Scalar scalar, String path) {
        try {
            DistinguishedName dn = DistinguishedName.parse(scalar.text());
            if (dn.isEmpty()) {
                error(scalar.location(), path, "the subject is empty", "write a DN such as \"CN=gw1, O=Corp, C=US\"");
                return Optional.empty();
            }
            return Optional.of(dn);
        } catch (DnSyntaxException e) {
            error(scalar.location(), path, "malformed DN `" + scalar.text() + "`: " + e.problem(),
                    "RFC 4514 text, most specific RDN first: \"CN=gw1, OU=VPN, O=Corp, C=US\"");
            return Optional.empty();
        }
    }

    private Optional<Named> named(YamlNode node, String path) {
        return string(node, path).flatMap(s -> {
            if (s.text().isBlank()) {
                error(s.location(), path, "the name is empty", null);
                return Optional.empty();
            }
            return Optional.of(new Named(s.text(), s.location(), path));
        });
    }

    private Optional<Instant> time(YamlNode node, String path) {
        return string(node, path).flatMap(s -> {
            try {
                return Optional.of(Times.parse(s.text()));
            } catch (IllegalArgumentException e) {
                error(s.location(), path, e.getMessage(), "an ISO-8601 time such as 2025-06-01T12:00:00Z");
                return Optional.empty();
            }
        });
    }

    private Optional<Boolean> bool(YamlNode node, String path) {
        // YAML 1.1 also reads yes/no/on/off as booleans: only the words true and false are taken, so that no
        // spelling is silently read as the other value.
        if (node instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.BOOLEAN
                && (scalar.text().equals("true") || scalar.text().equals("false"))) {
            return Optional.of(scalar.text().equals("true"));
        }
        if (node instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.BOOLEAN) {
            error(scalar.location(), path, "`" + scalar.text() + "` is not a boolean here", "write true or false"
                    + " (YAML 1.1 words such as yes, no, on, off are not taken)");
            return Optional.empty();
        }
        wrongType(node, path, "true or false");
        return Optional.empty();
    }

    private Optional<Scalar> string(YamlNode node, String path) {
        // Numbers are accepted as their text: a case named 42 is the case "42".
        if (node instanceof Scalar scalar && (scalar.scalarKind() == ScalarKind.STRING
                || scalar.scalarKind() == ScalarKind.INTEGER || scalar.scalarKind() == ScalarKind.FLOAT)) {
            return Optional.of(scalar);
        }
        wrongType(node, path, "a string");
        return Optional.empty();
    }

    private Optional<Mapping> mapping(YamlNode node, String path, String expected) {
        if (node instanceof Mapping mapping) {
            return Optional.of(mapping);
        }
        error(node.location(), path, "expected a mapping, found " + node.kind(), expected);
        return Optional.empty();
    }

    private Optional<YamlNode> required(Mapping map, String key, String path) {
        Optional<YamlNode> node = map.get(key);
        if (node.isEmpty()) {
            error(map.location(), path.isEmpty() ? key : path + "." + key, "missing key `" + key + "`"
                    + (path.isEmpty() ? "" : " in " + path), null);
        }
        return node;
    }

    private void keys(Mapping map, String path, List<String> allowed) {
        for (Entry entry : map.entries()) {
            if (!allowed.contains(entry.key())) {
                String where = path.isEmpty() ? entry.key() : path + "." + entry.key();
                String in = path.isEmpty() ? "" : " in " + path;
                error(entry.keyLocation(), where, "unknown key `" + entry.key() + "`" + in,
                        Suggestions.closest(entry.key(), allowed).map(c -> "did you mean `" + c + "`?")
                                .orElse("allowed here: " + String.join(", ", allowed)));
            }
        }
    }

    private void wrongType(YamlNode node, String path, String expected) {
        error(node.location(), path, "expected " + expected + ", found " + node.kind(), null);
    }

    private static String keyword(Relative relative) {
        return relative.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void error(Location at, String path, String message, String help) {
        problems.add(problem(at, path, message, help));
    }

    private Problem problem(Location at, String path, String message, String help) {
        return new Problem(file, at.line(), at.column(), path, message, Optional.ofNullable(help));
    }

    private TestFileException single(Location at, String path, String message, String help) {
        return new TestFileException(List.of(problem(at, path, message, help)));
    }
}
