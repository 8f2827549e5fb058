package certgate.dsl.policy;

/** The kinds of IKE ID a gateway can be found by (Junos's "Choosing the IKE Identity"). */
public enum IdentityType implements Keyword {
    IP, FQDN, UFQDN, DN
}
