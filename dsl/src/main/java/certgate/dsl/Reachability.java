package certgate.dsl;

import certgate.dsl.PolicyBuilder.Located;
import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.DnRule;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.StringPrep;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.RemoteIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Warns about gateways that lookup can never choose, because an earlier gateway matches every IKE ID they
 * would. Sound, not complete: it warns only when it can prove the earlier rule covers the later one.
 *
 * <p>ip, fqdn and ufqdn identities hold their normal forms, so equal values match the same IDs: one hash
 * lookup each. DN rules need pairwise comparison; values are prepared once, and past {@link #MAX_DN_PAIRS}
 * comparisons (a policy of thousands of DN gateways) the remaining pairs are not examined, so that `check`
 * stays fast on any file it accepts. Skipping only loses warnings, never adds a wrong one.
 */
final class Reachability {
    static final long MAX_DN_PAIRS = 2_000_000;

    private Reachability() {
    }

    /** A DN rule's attributes with prepared values, computed once per gateway. */
    private record Prepared(Located located, DnRule rule, List<String[]> attributes, List<List<String>> rdns) {
    }

    static void warn(List<Located> gateways, Reporter reporter) {
        Map<RemoteIdentity, Located> firstByValue = new HashMap<>();
        List<Prepared> dnRules = new ArrayList<>();
        long pairs = 0;
        for (Located later : gateways) {
            RemoteIdentity identity = later.gateway().remoteIdentity();
            if (identity instanceof RemoteIdentity.Dn dn) {
                Prepared prepared = prepare(later, dn.rule());
                for (Prepared earlier : dnRules) {
                    if (++pairs > MAX_DN_PAIRS) {
                        break;
                    }
                    if (covers(earlier, prepared)) {
                        report(earlier.located(), later, reporter);
                        break;
                    }
                }
                dnRules.add(prepared);
                continue;
            }
            Located earlier = firstByValue.putIfAbsent(identity, later);
            if (earlier != null) {
                report(earlier, later, reporter);
            }
        }
    }

    private static void report(Located first, Located shadowed, Reporter reporter) {
        reporter.warning(DiagnosticCode.UNREACHABLE_GATEWAY, shadowed.identityAt(), shadowed.path(),
                "gateway `" + shadowed.gateway().name() + "` can never be chosen: gateway `"
                        + first.gateway().name() + "` (line " + first.identityAt().line()
                        + ") comes first and matches every IKE ID it would",
                "move the more specific gateway first, or remove one of them");
    }

    private static Prepared prepare(Located located, DnRule rule) {
        List<String[]> attributes = new ArrayList<>();
        List<List<String>> rdns = new ArrayList<>();
        for (Rdn rdn : rule.pattern().rdns()) {
            List<String> canonical = new ArrayList<>();
            for (DnAttribute attribute : rdn.attributes()) {
                boolean any = rule instanceof WildcardRule && attribute.value().equals(WildcardRule.ANY);
                String value = any ? null : StringPrep.prepare(attribute.value());
                attributes.add(new String[] {attribute.oid(), value});
                canonical.add(attribute.oid() + "=" + value);
            }
            canonical.sort(null);
            rdns.add(canonical);
        }
        return new Prepared(located, rule, attributes, rdns);
    }

    /**
     * Whether every DN that {@code later} matches is matched by {@code earlier}. An earlier wildcard covers a
     * later rule that guarantees each attribute it names (with that value, unless it asks for any value);
     * an earlier container covers a later container that holds its RDNs as a run; an earlier container never
     * covers a wildcard, which guarantees neither order nor contiguity.
     */
    private static boolean covers(Prepared earlier, Prepared later) {
        if (earlier.rule() instanceof WildcardRule) {
            for (String[] wanted : earlier.attributes()) {
                boolean guaranteed = false;
                for (String[] known : later.attributes()) {
                    if (known[0].equals(wanted[0]) && (wanted[1] == null || wanted[1].equals(known[1]))) {
                        guaranteed = true;
                        break;
                    }
                }
                if (!guaranteed) {
                    return false;
                }
            }
            return true;
        }
        if (later.rule() instanceof ContainerRule) {
            return Collections.indexOfSubList(later.rdns(), earlier.rdns()) >= 0;
        }
        return false;
    }
}
