package certgate.dsl.policy;

/** How a gateway authenticates its peers. */
public enum Authentication implements Keyword {
    CERTIFICATE, PRE_SHARED_KEY
}
