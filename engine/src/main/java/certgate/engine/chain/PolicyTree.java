package certgate.engine.chain;

import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.PolicyExtensions;
import certgate.eventstore.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Certificate policy processing, RFC 5280 6.1.2 (a), (d)-(f), (i)-(j), 6.1.3 (d)-(f), 6.1.4 (a)-(b), (h)-(j) and
 * 6.1.5 (a)-(b), (g), over one path (peer first, trust anchor last).
 *
 * <p>Design: the valid_policy_tree is kept as the RFC describes it, one list of nodes per depth, each node with its
 * valid_policy, expected_policy_set, parent and children; qualifiers are not kept (6.1 lets a validator ignore
 * them). The three counters (explicit_policy, policy_mapping, inhibit_anyPolicy) and the tree are updated
 * certificate by certificate from the one below the trust anchor down to the peer. Two choices beyond the RFC:
 * <ul>
 *   <li>The trust anchor's own policyConstraints and inhibitAnyPolicy lower the initial counters, as they would
 *       if it were an intermediate below a root (certgate checks the anchor's other constraints the same way:
 *       in partial mode it is often a locally stored intermediate). Its certificatePolicies and policyMappings
 *       are not used: RFC 5280 starts the tree from anyPolicy, not from the anchor's policies.</li>
 *   <li>A tree may grow exponentially with mappings and duplicated policies (OpenSSL's CVE-2023-0464): past
 *       {@link #MAX_NODES} nodes the path is refused.</li>
 * </ul>
 * A gateway starts with user-initial-policy-set {anyPolicy} and the three initial indicators false
 * ({@link Initial#GATEWAY}); other initial values are supported for conformance tests.
 */
public final class PolicyTree {
    public static final String ANY_POLICY = PolicyExtensions.ANY_POLICY;
    static final int MAX_NODES = 4_096;

    /** RFC 5280 6.1.1 (c), (e)-(g): the inputs of policy processing. */
    public record Initial(Set<String> userInitialPolicySet, boolean explicitPolicy, boolean policyMappingInhibit,
                          boolean anyPolicyInhibit) {
        /** What certgate uses: any policy, nothing required, mapping and anyPolicy allowed. */
        public static final Initial GATEWAY = new Initial(Set.of(ANY_POLICY), false, false, false);

        public Initial {
            userInitialPolicySet = Set.copyOf(userInitialPolicySet);
            if (userInitialPolicySet.isEmpty()) {
                throw new IllegalArgumentException("the user-initial-policy-set is not empty (anyPolicy at least)");
            }
        }

        boolean anyPolicyOnly() {
            return userInitialPolicySet.contains(ANY_POLICY);
        }
    }

    /** What policy processing concluded: the path's policies, or why it fails. */
    public sealed interface Outcome permits Valid, Invalid {
    }

    /**
     * A path that passes policy processing.
     *
     * @param policies the valid policies for the whole path after the user-initial-policy-set is applied (the
     *                 user-constrained-policy-set; {anyPolicy} when unrestricted, empty when no policy is valid)
     * @param summary  a sentence for the trace
     */
    public record Valid(Set<String> policies, String summary) implements Outcome {
        public Valid {
            policies = Set.copyOf(policies);
        }
    }

    public record Invalid(Reason reason, String detail) implements Outcome {
    }

    /** Thrown when the tree would pass {@link #MAX_NODES}: the work stops at once. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    private static final class Node {
        final String policy;
        Set<String> expected;
        final Node parent;
        final List<Node> children = new ArrayList<>(1);
        final int depth;
        boolean removed;

        Node(String policy, Set<String> expected, Node parent) {
            this.policy = policy;
            this.expected = expected;
            this.parent = parent;
            this.depth = parent == null ? 0 : parent.depth + 1;
        }
    }

    private final List<ParsedCertificate> path;
    private final Initial initial;
    /** The tree by depth; null once the tree is NULL. */
    private List<List<Node>> levels;
    private int nodes;
    private int explicitPolicy;
    private int policyMapping;
    private int inhibitAnyPolicy;
    /** What last lowered explicit_policy, and what made the tree NULL, for the trace. */
    private String explicitBy = "";
    private String nullBecause = "";

    private PolicyTree(List<ParsedCertificate> path, Initial initial) {
        this.path = path;
        this.initial = initial;
    }

    /** Runs policy processing over {@code path}, peer first and trust anchor last. */
    public static Outcome process(List<ParsedCertificate> path, Initial initial) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a path has at least one certificate");
        }
        try {
            return new PolicyTree(path, initial).run();
        } catch (TooLarge e) {
            return new Invalid(Reason.POLICY_CONSTRAINTS_VIOLATED, "certificate policies: the valid policy tree "
                    + "would grow beyond " + MAX_NODES + " nodes");
        }
    }

    private Outcome run() {
        for (ParsedCertificate certificate : path) {
            if (certificate.policyExtensions().problem().isPresent()) {
                return new Invalid(Reason.INVALID_CERTIFICATE, PathValidator.describe(certificate) + ": "
                        + certificate.policyExtensions().problem().get());
            }
        }
        int n = path.size() - 1;
        // 6.1.2 (a), (d)-(f).
        levels = new ArrayList<>(n + 1);
        levels.add(new ArrayList<>(List.of(new Node(ANY_POLICY, Set.of(ANY_POLICY), null))));
        nodes = 1;
        explicitPolicy = initial.explicitPolicy() ? 0 : n + 1;
        explicitBy = initial.explicitPolicy() ? "initial-explicit-policy" : "";
        policyMapping = initial.policyMappingInhibit() ? 0 : n + 1;
        inhibitAnyPolicy = initial.anyPolicyInhibit() ? 0 : n + 1;
        ParsedCertificate anchor = path.get(n);
        constrain(anchor, anchor.policyExtensions());
        for (int i = 1; i <= n; i++) {
            ParsedCertificate certificate = path.get(n - i);
            PolicyExtensions extensions = certificate.policyExtensions();
            Invalid failure = processCertificate(i, n, certificate, extensions);
            if (failure != null) {
                return failure;
            }
            if (i < n) {
                failure = prepareNext(i, certificate, extensions);
                if (failure != null) {
                    return failure;
                }
            }
        }
        // 6.1.5 (a)-(b).
        if (n > 0) {
            if (explicitPolicy != 0) {
                explicitPolicy--;
            }
            ParsedCertificate peer = path.get(0);
            if (peer.policyExtensions().requireExplicitPolicy().orElse(-1) == 0) {
                explicitPolicy = 0;
                explicitBy = "requireExplicitPolicy 0 in " + PathValidator.describe(peer);
            }
        }
        Set<String> authorityConstrained = levels == null ? Set.of() : policiesAt(n);
        // 6.1.5 (g).
        if (levels != null && n > 0 && !initial.anyPolicyOnly()) {
            intersect(n);
        }
        if (explicitPolicy == 0 && levels == null) {
            return new Invalid(Reason.POLICY_CONSTRAINTS_VIOLATED, "certificate policies: an explicit policy is "
                    + "required (" + explicitBy + ") but no policy is valid for the whole path: " + nullBecause);
        }
        Set<String> userConstrained = levels == null ? Set.of() : policiesAt(n);
        String required = explicitPolicy == 0 ? ", an explicit policy is required (" + explicitBy + ")"
                : ", none is required";
        String summary;
        if (levels == null) {
            summary = "certificate policies: no policy is valid for the whole path (" + nullBecause + ")" + required;
        } else if (userConstrained.contains(ANY_POLICY)) {
            summary = "certificate policies: " + (n == 0 ? "no certificate below the trust anchor"
                    : "anyPolicy valid for the whole path") + required;
        } else {
            summary = "certificate policies: " + sorted(userConstrained) + " valid for the whole path"
                    + (authorityConstrained.equals(userConstrained) ? ""
                    : " (of " + sorted(authorityConstrained) + ")") + required;
        }
        return new Valid(userConstrained, summary);
    }

    /** 6.1.3 (d)-(f) for the certificate at depth {@code i} of {@code n}. */
    private Invalid processCertificate(int i, int n, ParsedCertificate certificate, PolicyExtensions extensions) {
        if (levels != null && extensions.policies().isPresent()) {
            List<String> policies = extensions.policies().get();
            List<Node> parents = levels.get(i - 1);
            levels.add(new ArrayList<>());
            for (String policy : policies) {
                if (policy.equals(ANY_POLICY)) {
                    continue;
                }
                boolean matched = false;
                for (Node parent : parents) {
                    if (parent.expected.contains(policy)) {
                        addChild(parent, policy, Set.of(policy), i);
                        matched = true;
                    }
                }
                if (!matched) {
                    for (Node parent : parents) {
                        if (parent.policy.equals(ANY_POLICY)) {
                            addChild(parent, policy, Set.of(policy), i);
                        }
                    }
                }
            }
            if (policies.contains(ANY_POLICY) && (inhibitAnyPolicy > 0 || (i < n && certificate.selfIssued()))) {
                for (Node parent : parents) {
                    for (String value : parent.expected) {
                        if (parent.children.stream().noneMatch(child -> child.policy.equals(value))) {
                            addChild(parent, value, Set.of(value), i);
                        }
                    }
                }
            }
            prune(i - 1);
            if (levels == null) {
                nullBecause = "none of the policies of " + PathValidator.describe(certificate) + " "
                        + sorted(policies) + " is valid for the path above it"
                        + (policies.contains(ANY_POLICY) && inhibitAnyPolicy == 0 ? " (anyPolicy is inhibited)" : "");
            }
        } else if (levels != null) {
            levels = null;
            nullBecause = PathValidator.describe(certificate) + " has no certificatePolicies";
        }
        if (explicitPolicy == 0 && levels == null) {
            return new Invalid(Reason.POLICY_CONSTRAINTS_VIOLATED, "certificate policies: an explicit policy is "
                    + "required (" + explicitBy + ") but no policy is valid for the path down to "
                    + PathValidator.describe(certificate) + ": " + nullBecause);
        }
        return null;
    }

    /** 6.1.4 (a)-(b) and (h)-(j) after the certificate at depth {@code i}. */
    private Invalid prepareNext(int i, ParsedCertificate certificate, PolicyExtensions extensions) {
        Map<String, Set<String>> mapped = new LinkedHashMap<>();
        for (PolicyExtensions.Mapping mapping : extensions.mappings()) {
            if (mapping.issuerDomainPolicy().equals(ANY_POLICY) || mapping.subjectDomainPolicy().equals(ANY_POLICY)) {
                return new Invalid(Reason.INVALID_CERTIFICATE, PathValidator.describe(certificate) + " maps "
                        + (mapping.issuerDomainPolicy().equals(ANY_POLICY) ? "from" : "to")
                        + " anyPolicy in its policyMappings (RFC 5280 6.1.4 (a))");
            }
            mapped.computeIfAbsent(mapping.issuerDomainPolicy(), key -> new LinkedHashSet<>())
                    .add(mapping.subjectDomainPolicy());
        }
        if (levels != null && !mapped.isEmpty()) {
            List<Node> level = levels.get(i);
            if (policyMapping > 0) {
                for (Map.Entry<String, Set<String>> entry : mapped.entrySet()) {
                    Set<String> expected = Set.copyOf(entry.getValue());
                    boolean found = false;
                    for (Node node : level) {
                        if (node.policy.equals(entry.getKey())) {
                            node.expected = expected;
                            found = true;
                        }
                    }
                    if (!found) {
                        for (Node any : List.copyOf(level)) {
                            if (any.policy.equals(ANY_POLICY)) {
                                addChild(any.parent, entry.getKey(), expected, i);
                            }
                        }
                    }
                }
            } else {
                level.removeIf(node -> {
                    boolean remove = mapped.containsKey(node.policy);
                    if (remove) {
                        node.parent.children.remove(node);
                        node.removed = true;
                        nodes--;
                    }
                    return remove;
                });
                prune(i - 1);
                if (levels == null) {
                    nullBecause = "policy mapping is inhibited and " + PathValidator.describe(certificate)
                            + " maps every policy valid at it";
                }
            }
        }
        // (h)-(j)
        if (!certificate.selfIssued()) {
            explicitPolicy = Math.max(0, explicitPolicy - 1);
            policyMapping = Math.max(0, policyMapping - 1);
            inhibitAnyPolicy = Math.max(0, inhibitAnyPolicy - 1);
        }
        constrain(certificate, extensions);
        return null;
    }

    /** 6.1.4 (i)-(j): policyConstraints and inhibitAnyPolicy lower the counters. */
    private void constrain(ParsedCertificate certificate, PolicyExtensions extensions) {
        int require = extensions.requireExplicitPolicy().orElse(Integer.MAX_VALUE);
        if (require < explicitPolicy) {
            explicitPolicy = require;
            explicitBy = "requireExplicitPolicy " + require + " in " + PathValidator.describe(certificate);
        }
        policyMapping = Math.min(policyMapping, extensions.inhibitPolicyMapping().orElse(Integer.MAX_VALUE));
        inhibitAnyPolicy = Math.min(inhibitAnyPolicy, extensions.inhibitAnyPolicy().orElse(Integer.MAX_VALUE));
    }

    /** 6.1.5 (g) (iii): restricts the tree to the user-initial-policy-set. */
    private void intersect(int n) {
        Set<String> user = initial.userInitialPolicySet();
        // (1)-(2): the nodes whose parent is anyPolicy and whose own policy the user does not accept go.
        List<Node> validPolicyNodes = new ArrayList<>();
        for (int depth = 1; depth <= n; depth++) {
            for (Node node : levels.get(depth)) {
                if (node.parent.policy.equals(ANY_POLICY)) {
                    validPolicyNodes.add(node);
                }
            }
        }
        for (Node node : validPolicyNodes) {
            if (!node.policy.equals(ANY_POLICY) && !user.contains(node.policy)) {
                removeSubtree(node);
            }
        }
        // (3): an anyPolicy leaf stands for each of the user's policies not otherwise valid.
        for (Node any : List.copyOf(levels.get(n))) {
            if (any.policy.equals(ANY_POLICY) && !any.removed) {
                for (String policy : user) {
                    boolean present = validPolicyNodes.stream().anyMatch(node -> node.policy.equals(policy)
                            && !node.removed);
                    if (!present) {
                        addChild(any.parent, policy, Set.of(policy), n);
                    }
                }
                removeSubtree(any);
            }
        }
        // (4)
        prune(n - 1);
        if (levels != null && levels.get(n).isEmpty()) {
            levels = null;
        }
        if (levels == null) {
            nullBecause = "no policy valid for the whole path is in the user-initial-policy-set " + sorted(user);
        }
    }

    private void addChild(Node parent, String policy, Set<String> expected, int depth) {
        if (nodes >= MAX_NODES) {
            throw new TooLarge();
        }
        Node child = new Node(policy, expected, parent);
        parent.children.add(child);
        levels.get(depth).add(child);
        nodes++;
    }

    private void removeSubtree(Node node) {
        for (Node child : List.copyOf(node.children)) {
            removeSubtree(child);
        }
        node.parent.children.remove(node);
        levels.get(node.depth).remove(node);
        node.removed = true;
        nodes--;
    }

    /** Deletes childless nodes from {@code depth} up to the root; the tree is NULL when the root goes. */
    private void prune(int depth) {
        for (int d = depth; d >= 0; d--) {
            levels.get(d).removeIf(node -> {
                boolean childless = node.children.isEmpty();
                if (childless) {
                    if (node.parent != null) {
                        node.parent.children.remove(node);
                    }
                    node.removed = true;
                    nodes--;
                }
                return childless;
            });
        }
        if (levels.get(0).isEmpty()) {
            levels = null;
        }
    }

    private Set<String> policiesAt(int depth) {
        Set<String> policies = new LinkedHashSet<>();
        for (Node node : levels.get(depth)) {
            policies.add(node.policy);
        }
        return policies;
    }

    private static String sorted(Collection<String> policies) {
        return new TreeSet<>(policies).toString();
    }
}
