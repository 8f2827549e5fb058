package certgate.dsl.policy;

/** Whether a CA profile checks CRLs. */
public enum RevocationMode implements Keyword {
    CRL, DISABLE
}
