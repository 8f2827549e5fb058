package certgate.dsl.policy;

/** What a decision does when no usable CRL covers a certificate (fail closed by default). */
public enum OnDownloadFailure implements Keyword {
    REJECT, ACCEPT
}
