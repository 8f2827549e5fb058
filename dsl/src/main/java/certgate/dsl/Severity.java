package certgate.dsl;

/** Errors stop a policy from compiling; warnings do not (unless a command is told to deny them). */
public enum Severity {
    ERROR, WARNING
}
