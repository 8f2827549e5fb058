package certgate.dsl.dn;

/** The Junos DN rules for a gateway's remote identity ("container" and "wildcard"). */
public sealed interface DnRule permits ContainerRule, WildcardRule {

    /** The rule as written: RDNs most specific first. */
    DistinguishedName pattern();

    boolean matches(DistinguishedName subject);
}
