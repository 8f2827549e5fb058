package certgate.adapters.cli;

import certgate.adapters.policy.PolicySource;
import certgate.dsl.Diagnostic;
import certgate.dsl.Suggestions;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.Event;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationRequested;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code --policy FILE [--gateway NAME]} for the commands that decide ({@code verify}, {@code validate}): the
 * policy compiled when the command line is read, the event that puts it in the log, and each request bound to
 * it (the gateway's settings and the policy's revision recorded with the request).
 *
 * <pre>{@code
 * Args args = PolicyOption.declare(Args.parser()...).parse(argv);
 * PolicyOption policy = PolicyOption.from(args, workingDirectory, false, SETTING_OPTIONS);
 * log.append(policy.events(state));
 * engine.decide(policy.bind(draft));
 * }</pre>
 */
public final class PolicyOption {
    public static final String POLICY = "--policy";
    public static final String GATEWAY = "--gateway";

    /** No --policy: requests are decided under their own settings, as before. */
    public static final PolicyOption NONE = new PolicyOption(Optional.empty(), Optional.empty(), Optional.empty());

    private final Optional<CompiledPolicy> policy;
    private final Optional<PolicyActivated> activation;
    private final Optional<String> gateway;

    private PolicyOption(Optional<CompiledPolicy> policy, Optional<PolicyActivated> activation,
            Optional<String> gateway) {
        this.policy = policy;
        this.activation = activation;
        this.gateway = gateway;
    }

    /** The compiled {@code --policy}, if given. */
    public Optional<CompiledPolicy> policy() {
        return policy;
    }

    /** The {@code --gateway} named, a gateway of the policy. */
    public Optional<String> gateway() {
        return gateway;
    }

    /** Declares {@code --policy FILE} and {@code --gateway NAME}. */
    public static Args.Parser declare(Args.Parser parser) {
        return parser.value(POLICY).value(GATEWAY);
    }

    /** The help text's lines on the two options. */
    public static final String HELP = """
              --policy FILE          decide under this policy: look the gateway up by the IKE ID (--id),
                                     then use its CA profile's settings and CA certificates (those loaded
                                     under the profile's name or 'default', with the profile's ca-identity
                                     as subject if it has one). The settings options do not go with it.
              --gateway NAME         with --policy: this gateway, without the lookup
            """;

    /**
     * Reads the options: without {@code --policy}, {@link #NONE}; with it, the file read and compiled now, so a
     * policy with errors stops the command before anything is recorded. {@code settingOptions} are the
     * command's own settings options (the policy sets them; giving both is a usage error). {@code idOptional}:
     * whether requests may bring their own IKE ID (a batch), so {@code --id} is not required.
     */
    public static PolicyOption from(Args args, Path workingDirectory, boolean idOptional,
            List<String> settingOptions) throws UsageException {
        Optional<String> file = args.value(POLICY);
        Optional<String> gateway = args.value(GATEWAY);
        if (file.isEmpty()) {
            if (gateway.isPresent()) {
                throw new UsageException(GATEWAY + " needs " + POLICY + " FILE: gateways are a policy's");
            }
            return NONE;
        }
        for (String option : settingOptions) {
            if (args.has(option)) {
                throw new UsageException(option + " does not go with " + POLICY + ": the policy's CA profile sets"
                        + " it");
            }
        }
        if (!idOptional && gateway.isEmpty() && args.value("--id").isEmpty()) {
            throw new UsageException(POLICY + " needs --id TYPE:VALUE, the IKE ID that selects the gateway (or "
                    + GATEWAY + " NAME)");
        }
        PolicySource source = compiled(workingDirectory, file.get());
        CompiledPolicy compiled = source.policy().orElseThrow();
        if (gateway.isPresent() && compiled.gateway(gateway.get()).isEmpty()) {
            List<String> names = compiled.gateways().stream().map(g -> g.name()).toList();
            throw new UsageException(GATEWAY + " '" + gateway.get() + "' is not a gateway of " + file.get()
                    + Suggestions.closest(gateway.get(), names)
                    .map(c -> "; did you mean '" + c + "'?").orElse(" (its gateways: " + String.join(", ", names)
                            + ")"));
        }
        return new PolicyOption(Optional.of(compiled), Optional.of(source.activation()), gateway);
    }

    /**
     * The policy file {@code --policy FILE} names, read and compiled; a file that cannot be read, or has errors, is
     * a usage error naming the first error (and how many more there are).
     */
    static PolicySource compiled(Path workingDirectory, String file) throws UsageException {
        PolicySource source;
        try {
            source = PolicySource.read(workingDirectory.resolve(file), file);
        } catch (PolicySource.Unreadable e) {
            throw new UsageException(POLICY + " " + e.getMessage());
        }
        if (source.policy().isEmpty()) {
            List<Diagnostic> errors = source.result().errors();
            throw new UsageException(POLICY + " " + file + " does not compile: "
                    + errors.get(0).toString().lines().findFirst().orElse("")
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more error(s))" : "")
                    + "; 'certgate check " + file + "' shows them all");
        }
        return source;
    }

    /** A policy revision as messages show it: its first 12 hex digits. */
    public static String shortRevision(String revision) {
        return PolicySource.shortRevision(revision);
    }

    public boolean given() {
        return policy.isPresent();
    }

    /** The policy's revision, when there is a policy. */
    public Optional<String> revision() {
        return policy.map(CompiledPolicy::revision);
    }

    /**
     * The events that must be in the log before a request is decided under the policy: its activation, unless
     * {@code state} (the log's state so far) already holds this revision.
     */
    public List<Event> events(Engine state) {
        if (policy.isEmpty() || state.policy(policy.get().revision()).isPresent()) {
            return List.of();
        }
        return List.of(activation.orElseThrow());
    }

    /**
     * The event that puts the policy's source in a store for a request decided under it without activating it
     * (an override of the store's active policy for one request), unless {@code state} already holds this
     * revision.
     */
    public List<Event> recordWithoutActivating(Engine state) {
        if (policy.isEmpty() || state.policy(policy.get().revision()).isPresent()) {
            return List.of();
        }
        PolicyActivated source = activation.orElseThrow();
        return List.of(new PolicyRecorded(source.revision(), source.source()));
    }

    /** {@code draft} with the gateway named by {@code --gateway} and bound to the policy; unchanged without one. */
    public ValidationRequested bind(ValidationRequested draft) {
        if (policy.isEmpty()) {
            return draft;
        }
        ValidationRequested named = new ValidationRequested(draft.requestId(), draft.peer(), draft.chain(),
                draft.identity(), draft.at(), draft.settings(), gateway.or(draft::gateway), draft.policyRevision());
        return PolicyDecisions.bind(policy.get(), named);
    }
}
