package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.RemoteIdentity;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class PolicyProperties {

    @Test
    void random_valid_policies_compile_to_what_they_say() {
        Property.forAll(PolicyGen.policies()).tries(300).check(generated -> {
            CompileResult result = Policies.compile(generated.text());
            assertTrue(result.errors().isEmpty(), Policies.describe(result) + generated);
            CompiledPolicy policy = result.policy().orElseThrow();
            assertEquals(generated.gatewayNames(), policy.gateways().stream().map(Gateway::name).toList());
            assertEquals(generated.profileNames(), policy.caProfiles().stream().map(p -> p.name()).toList());
            assertEquals(generated.identityKinds(), policy.gateways().stream()
                    .map(g -> g.remoteIdentity().type().keyword()).toList());
            assertEquals(generated.localIdentities(), policy.gateways().stream()
                    .map(g -> g.localIdentity().map(Object::toString).orElse("")).toList());
        });
    }

    @Test
    void a_gateway_found_for_an_earlier_gateways_own_value_was_warned_about() {
        Property.forAll(PolicyGen.policies()).tries(300).check(generated -> {
            CompileResult result = Policies.compile(generated.text());
            CompiledPolicy policy = result.policy().orElseThrow();
            Set<String> warnedPaths = new HashSet<>();
            result.warnings().stream().filter(w -> w.code() == DiagnosticCode.UNREACHABLE_GATEWAY)
                    .forEach(w -> warnedPaths.add(w.keyPath()));
            for (int i = 0; i < policy.gateways().size(); i++) {
                Gateway gateway = policy.gateways().get(i);
                String value = valueOf(gateway.remoteIdentity());
                if (value == null) {
                    continue;
                }
                Gateway found = policy.findGateway(gateway.remoteIdentity().type(), value).orElseThrow();
                boolean shadowed = found != gateway;
                assertEquals(shadowed, warnedPaths.contains("ike.gateways[" + i + "].remote-identity"),
                        gateway + " found " + found + "\n" + Policies.describe(result) + generated);
            }
        });
    }

    /** The value a peer presents to match an ip, fqdn or ufqdn identity, spelt differently; null for DN rules. */
    private static String valueOf(RemoteIdentity identity) {
        if (identity instanceof RemoteIdentity.Ip ip) {
            return ip.address().isV4() ? "::ffff:" + ip.address() : ip.address().toString().toUpperCase();
        }
        if (identity instanceof RemoteIdentity.Fqdn fqdn) {
            return fqdn.name().toUpperCase() + ".";
        }
        if (identity instanceof RemoteIdentity.Ufqdn ufqdn) {
            return ufqdn.mailbox().localPart() + "@" + ufqdn.mailbox().domain().toUpperCase();
        }
        return null;
    }

    /** One mutation of a valid policy, and the error code it must produce. */
    record Mutated(String text, DiagnosticCode expected, String what) {
        @Override
        public String toString() {
            return what + " -> " + expected + ":\n" + text;
        }
    }

    private static final Set<String> ALL_KEYS = allKeys(PolicySchema.ROOT, new HashSet<>());

    private static Set<String> allKeys(PolicySchema.Shape shape, Set<String> out) {
        if (shape instanceof PolicySchema.MappingShape mapping) {
            out.addAll(mapping.keys());
            out.addAll(mapping.junosSpellings().keySet());
            mapping.fields().forEach(f -> allKeys(f.shape(), out));
        } else if (shape instanceof PolicySchema.ListShape list) {
            allKeys(list.items(), out);
        }
        return out;
    }

    static Gen<Mutated> mutations() {
        return random -> {
            PolicyGen.Generated generated = PolicyGen.policy(random);
            List<BiFunction<Y.M, SplittableRandom, Mutated>> kinds = List.of(
                    PolicyProperties::misspellKey, PolicyProperties::wrongType,
                    PolicyProperties::danglingReference, PolicyProperties::repeatedWildcardType);
            while (true) {
                Mutated mutated = kinds.get(random.nextInt(kinds.size())).apply(generated.tree(), random);
                if (mutated != null) {
                    return mutated;
                }
            }
        };
    }

    @Test
    void every_single_mutation_of_a_valid_policy_gives_an_error_inside_the_file() {
        Property.forAll(mutations()).tries(500).check(mutated -> {
            CompileResult result = Policies.compile(mutated.text());
            assertTrue(result.policy().isEmpty(), "compiled: " + mutated);
            assertTrue(result.errors().stream().anyMatch(d -> d.code() == mutated.expected()),
                    Policies.describe(result) + "\n" + mutated);
            assertInsideFile(result, mutated.text());
        });
    }

    @Test
    void damaged_policy_bytes_give_diagnostics_or_a_policy_never_an_exception() {
        byte[] valid = PolicyCompilerTest.EXAMPLE_POLICY.getBytes(StandardCharsets.UTF_8);
        Property.forAll(Gens.damaged(valid)).tries(1000).check(bytes -> {
            CompileResult result = PolicyCompiler.compile("damaged.yaml", bytes);
            assertFalse(result.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.INTERNAL_ERROR),
                    Policies.describe(result));
            assertTrue(result.policy().isPresent() || !result.errors().isEmpty());
            assertInsideFile(result, new String(bytes, StandardCharsets.UTF_8));
            result.policy().ifPresent(policy -> assertEquals(PolicyCompiler.sha256(bytes), policy.revision()));
        });
    }

    @Test
    void damaged_generated_policies_never_throw_either() {
        Gen<byte[]> damaged = random -> {
            byte[] valid = PolicyGen.policy(random).text().getBytes(StandardCharsets.UTF_8);
            return Gens.damaged(valid).generate(random);
        };
        Property.forAll(damaged).tries(500).check(bytes -> {
            CompileResult result = PolicyCompiler.compile("damaged.yaml", bytes);
            assertFalse(result.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.INTERNAL_ERROR),
                    Policies.describe(result));
            assertInsideFile(result, new String(bytes, StandardCharsets.UTF_8));
        });
    }

    private static void assertInsideFile(CompileResult result, String text) {
        List<String> lines = Lines.split(text);
        for (Diagnostic d : result.diagnostics()) {
            assertTrue(d.line() >= 1 && d.line() <= lines.size(), d + "\n(" + lines.size() + " lines)");
            assertTrue(d.column() >= 1 && d.column() <= lines.get(d.line() - 1).length() + 1,
                    d + "\n(line is `" + lines.get(d.line() - 1) + "`)");
        }
    }

    // Mutations. Each returns null when the policy offers nothing to mutate that way.

    private static Mutated misspellKey(Y.M tree, SplittableRandom random) {
        List<List<Object>> paths = new ArrayList<>();
        collectKeys(tree, new ArrayList<>(), paths);
        List<Object> path = paths.get(random.nextInt(paths.size()));
        String key = (String) path.get(path.size() - 1);
        String misspelt = misspell(key, random);
        if (ALL_KEYS.contains(misspelt) || misspelt.isEmpty()) {
            return null;
        }
        return new Mutated(Y.render(replaceAt(tree, path, 0, (m, k) -> rename(m, k, misspelt))),
                DiagnosticCode.UNKNOWN_KEY, "misspell " + path + " as " + misspelt);
    }

    private static Mutated wrongType(Y.M tree, SplittableRandom random) {
        List<List<Object>> paths = new ArrayList<>();
        collectKeys(tree, new ArrayList<>(), paths);
        List<Object> path = paths.get(random.nextInt(paths.size()));
        Y replacement = random.nextBoolean() ? new Y.L(List.of(new Y.S("1"), new Y.S("two")))
                : Y.M.of(true, "k", new Y.S("v"));
        Y current = valueAt(tree, path);
        if (current instanceof Y.M || current instanceof Y.L) {
            replacement = new Y.S("\"a string\"");
        }
        if (path.get(path.size() - 1).equals("url")) {
            // One URL or a list of them: only a mapping is of the wrong type there.
            replacement = Y.M.of(true, "k", new Y.S("v"));
        }
        Y chosen = replacement;
        return new Mutated(Y.render(replaceAt(tree, path, 0, (m, k) -> m.with(k, chosen))),
                DiagnosticCode.WRONG_TYPE, "replace " + path + " with " + Y.flow(chosen));
    }

    private static Mutated danglingReference(Y.M tree, SplittableRandom random) {
        List<Y> gateways = ((Y.L) ((Y.M) tree.get("ike")).get("gateways")).items();
        List<Integer> withProfile = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            if (((Y.M) gateways.get(i)).entries().stream().anyMatch(e -> e.getKey().equals("ca-profile"))) {
                withProfile.add(i);
            }
        }
        if (withProfile.isEmpty()) {
            return null;
        }
        int index = withProfile.get(random.nextInt(withProfile.size()));
        List<Object> path = List.of("ike", "gateways", index, "ca-profile");
        return new Mutated(Y.render(replaceAt(tree, path, 0, (m, k) -> m.with(k, new Y.S("no-such-profile")))),
                DiagnosticCode.UNKNOWN_CA_PROFILE, "dangling reference at " + path);
    }

    private static Mutated repeatedWildcardType(Y.M tree, SplittableRandom random) {
        List<Y> gateways = ((Y.L) ((Y.M) tree.get("ike")).get("gateways")).items();
        List<Integer> wildcards = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            Y.M identity = (Y.M) ((Y.M) gateways.get(i)).get("remote-identity");
            if (identity.entries().get(0).getKey().equals("dn")
                    && ((Y.M) identity.get("dn")).entries().get(0).getKey().equals("wildcard")) {
                wildcards.add(i);
            }
        }
        if (wildcards.isEmpty()) {
            return null;
        }
        int index = wildcards.get(random.nextInt(wildcards.size()));
        List<Object> path = List.of("ike", "gateways", index, "remote-identity", "dn", "wildcard");
        String raw = ((Y.S) valueAt(tree, path)).raw();
        String pattern = raw.substring(1, raw.length() - 1);
        String type = pattern.substring(0, pattern.indexOf('='));
        String repeated = random.nextBoolean() ? pattern + ", " + type + "=again" : type + "=again, " + pattern;
        return new Mutated(Y.render(replaceAt(tree, path, 0, (m, k) -> m.with(k, Y.S.quoted(repeated)))),
                DiagnosticCode.WILDCARD_REPEATED_TYPE, "repeat " + type + " in " + path);
    }

    private static String misspell(String key, SplittableRandom random) {
        int at = random.nextInt(key.length());
        return switch (random.nextInt(4)) {
            case 0 -> key.substring(0, at) + key.substring(at + 1);
            case 1 -> key.substring(0, at) + (char) ('a' + random.nextInt(26)) + key.substring(at);
            case 2 -> at + 1 < key.length()
                    ? key.substring(0, at) + key.charAt(at + 1) + key.charAt(at) + key.substring(at + 2)
                    : key + "s";
            default -> key.replace('-', '_');
        };
    }

    /** Paths (keys and list indexes) to every mapping entry in the tree. */
    private static void collectKeys(Y node, List<Object> prefix, List<List<Object>> out) {
        if (node instanceof Y.M m) {
            for (Map.Entry<String, Y> entry : m.entries()) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(entry.getKey());
                out.add(path);
                collectKeys(entry.getValue(), path, out);
            }
        } else if (node instanceof Y.L l) {
            for (int i = 0; i < l.items().size(); i++) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(i);
                collectKeys(l.items().get(i), path, out);
            }
        }
    }

    private static Y valueAt(Y node, List<Object> path) {
        Y current = node;
        for (Object step : path) {
            current = step instanceof Integer i ? ((Y.L) current).items().get(i) : ((Y.M) current).get((String) step);
        }
        return current;
    }

    /** A copy of the tree with the mapping entry at {@code path} changed by {@code change(mapping, key)}. */
    private static Y.M replaceAt(Y.M node, List<Object> path, int depth, BiFunction<Y.M, String, Y.M> change) {
        String key = (String) path.get(depth);
        if (depth == path.size() - 1) {
            return change.apply(node, key);
        }
        return node.with(key, replaceIn(node.get(key), path, depth + 1, change));
    }

    private static Y replaceIn(Y node, List<Object> path, int depth, BiFunction<Y.M, String, Y.M> change) {
        if (path.get(depth) instanceof Integer index) {
            List<Y> items = new ArrayList<>(((Y.L) node).items());
            items.set(index, replaceIn(items.get(index), path, depth + 1, change));
            return new Y.L(items);
        }
        return replaceAt((Y.M) node, path, depth, change);
    }

    private static Y.M rename(Y.M mapping, String key, String newKey) {
        List<Map.Entry<String, Y>> entries = new ArrayList<>();
        for (Map.Entry<String, Y> entry : mapping.entries()) {
            entries.add(entry.getKey().equals(key) ? Map.entry(newKey, entry.getValue()) : entry);
        }
        return new Y.M(entries, mapping.flow());
    }
}
