package certgate.dsl.policy;

/**
 * How far a chain must reach: {@code partial} (the Junos default: it may end at a locally stored
 * intermediate) or {@code full} (at a self-signed root).
 */
public enum PathValidation implements Keyword {
    PARTIAL, FULL
}
