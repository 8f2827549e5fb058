package certgate.adapters.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picks the route of a request by path and method: no path is 404, a path without the method is 405. */
final class Router {
    private record Entry(String method, Pattern path, Route route) {
    }

    private final List<Entry> entries = new ArrayList<>();

    Router add(String method, String pathPattern, Route route) {
        entries.add(new Entry(method, Pattern.compile(pathPattern), route));
        return this;
    }

    void handle(HttpExchange exchange) throws ApiError, IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            Matcher matcher = entry.path().matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            exchange.setAttribute(Gate.ROUTE, entry.path().pattern().replace("([^/]+)", "{id}"));
            if (entry.method().equals(method)) {
                entry.route().handle(exchange, matcher);
                return;
            }
            allowed.add(entry.method());
        }
        if (allowed.isEmpty()) {
            throw new ApiError(ApiError.Code.NOT_FOUND, "no such resource: " + Gate.printable(path));
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new ApiError(ApiError.Code.METHOD_NOT_ALLOWED, Gate.printable(method) + " is not allowed on "
                + Gate.printable(path) + "; allowed: " + String.join(", ", allowed));
    }
}
