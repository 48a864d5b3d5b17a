package io.paddock.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.redirectToNoTrailingSlashIfPresent;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.paddock.node.context.ServerContext;
import io.paddock.node.metrics.NodeMetrics;
import io.paddock.protocol.PathUtils;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * Paddock's own routes on the admin port, beside pekko-management's: {@code /paddock/status},
 * {@code /paddock/ensemble} and {@code /paddock/tree} (JSON), {@code /metrics} (Prometheus' text), and
 * {@code /dashboard}, a page whose scripts read the others. README "Inspecting a node" shows each.
 */
public final class PaddockRoutes implements ManagementRouteProvider {
    /** How long /paddock/ensemble waits for the other nodes' answers: a node slower than this shows as unreachable. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Where the dashboard's files are in the jar. */
    private static final String DASHBOARD = "io/paddock/node/dashboard";
    /**
     * The dashboard loads nothing from another origin (it must work offline, and a znode's data
     * must never run as script), and is revalidated on each load so that a new build shows at once.
     */
    private static final List<HttpHeader> DASHBOARD_HEADERS = List.of(
        RawHeader.create("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
        RawHeader.create("Cache-Control", "no-cache"));

    private final ActorSystem<?> system;

    public PaddockRoutes(ExtendedActorSystem system) {
        this.system = Adapter.toTyped(system);
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return concat(path("metrics", () -> get(() -> withServer(PaddockRoutes::metrics))), paddock(), dashboard());
    }

    /** {@code /dashboard} (its page) and {@code /dashboard/app.js} ...: files of the jar, served while the node starts too. */
    private static Route dashboard() {
        return pathPrefix("dashboard", () -> get(() -> respondWithHeaders(DASHBOARD_HEADERS, () -> concat(
            pathEnd(() -> getFromResource(DASHBOARD + "/index.html")),
            // the page's links are relative to /dashboard, so /dashboard/ would break them
            redirectToNoTrailingSlashIfPresent(StatusCodes.MOVED_PERMANENTLY,
                () -> getFromResourceDirectory(DASHBOARD))))));
    }

    /** Prometheus' text format, as ZooKeeper's PrometheusMetricsProvider serves it. */
    private static Route metrics(ServerContext server) {
        return complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.parse(NodeMetrics.contentType()), server.metrics().scrape())));
    }

    private Route paddock() {
        return pathPrefix("paddock", () -> get(() -> concat(
            path("status", () -> withServer(server -> json(StatusCodes.OK, NodeStatus.of(server).json()))),
            path("ensemble", () -> withServer(server -> onSuccess(AdminEndpoint.askAll(system, ASK_TIMEOUT),
                answered -> json(StatusCodes.OK, EnsembleView.json(server.config(), answered))))),
            path("tree", () -> withServer(server -> parameterOptional("path", p -> parameterOptional("offset",
                offset -> parameterOptional("limit", limit -> tree(server, p, offset, limit)))))))));
    }

    /** {@code route} with this node's state, looked up per request (the node attaches it once its system runs). */
    private Route withServer(Function<ServerContext, Route> route) {
        return extractRequest(request -> {
            ServerContext server = AdminContext.get(system).server();
            if (server == null || !server.recovered()) {
                return error(StatusCodes.SERVICE_UNAVAILABLE, "the node is starting: its log is not recovered yet");
            }
            return route.apply(server);
        });
    }

    private static Route tree(ServerContext server, Optional<String> path, Optional<String> offset, Optional<String> limit) {
        String p = path.orElse("/");
        String invalid = PathUtils.invalidReason(p);
        if (invalid != null) {
            return error(StatusCodes.BAD_REQUEST, "path " + p + ": " + invalid);
        }
        int from;
        int count;
        try {
            from = offset.map(Integer::parseInt).orElse(0);
            count = limit.map(Integer::parseInt).orElse(TreeView.DEFAULT_LIMIT);
        } catch (NumberFormatException e) {
            return error(StatusCodes.BAD_REQUEST, "offset and limit must be whole numbers: " + e.getMessage());
        }
        if (from < 0 || count < 1 || count > TreeView.MAX_LIMIT) {
            return error(StatusCodes.BAD_REQUEST, "offset must be 0 or more and limit 1 to " + TreeView.MAX_LIMIT);
        }
        Map<String, Object> node = TreeView.json(server.tree(), p, from, count);
        return node == null ? error(StatusCodes.NOT_FOUND, "no znode " + p) : json(StatusCodes.OK, node);
    }

    private static Route error(StatusCode status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return json(status, m);
    }

    static Route json(StatusCode status, Object body) {
        try {
            return complete(status, HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
