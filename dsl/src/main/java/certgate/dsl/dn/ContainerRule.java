package certgate.dsl.dn;

import java.util.List;
import java.util.Objects;

/**
 * The pattern's RDNs appear in the subject as one contiguous run, in the same order, each RDN the same set of
 * attributes with equal values (the whole DN is the special case). Repeated types (OU=a, OU=b) match as written.
 */
public record ContainerRule(DistinguishedName pattern) implements DnRule {

    public ContainerRule {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("a container rule needs at least one RDN");
        }
    }

    @Override
    public boolean matches(DistinguishedName subject) {
        List<Rdn> run = pattern.rdns();
        List<Rdn> rdns = subject.rdns();
        for (int start = 0; start + run.size() <= rdns.size(); start++) {
            if (runAt(rdns, start, run)) {
                return true;
            }
        }
        return false;
    }

    private static boolean runAt(List<Rdn> rdns, int start, List<Rdn> run) {
        for (int i = 0; i < run.size(); i++) {
            if (!run.get(i).sameAs(rdns.get(start + i))) {
                return false;
            }
        }
        return true;
    }
}
