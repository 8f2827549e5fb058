package certgate.engine.chain;

import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.ValidationSettings;
import java.util.List;
import java.util.function.Supplier;

/**
 * Path validation results that do not depend on the time (signatures, basic and name constraints, path length,
 * CA levels, certificate policies), remembered in the engine's verification cache by path and by the settings
 * they depend on (the policy processing's initial values among them).
 */
final class PathMemo {
    private PathMemo() {
    }

    private record Key(List<ParsedCertificate> path, PathValidator.Purpose purpose,
                       ValidationSettings.PathValidation mode, int maxCaLevels, boolean allowSha1,
                       PolicyTree.Initial policies)
            implements VerificationCache.Key<PathValidator.Timeless> {
    }

    static PathValidator.Timeless timeless(List<ParsedCertificate> path, PathValidator.Context context,
                                           Supplier<PathValidator.Timeless> compute) {
        ValidationSettings settings = context.settings();
        Key key = new Key(path, context.purpose(), settings.pathValidation(), settings.maxCaLevels(),
                settings.allowSha1(), context.policies());
        return context.cache().remember(path.get(0), key, compute);
    }
}
