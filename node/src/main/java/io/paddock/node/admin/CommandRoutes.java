package io.paddock.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;

import io.paddock.node.cluster.PekkoSettings;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * ZooKeeper's AdminServer on the admin port: {@code GET /commands} lists the commands and
 * {@code /commands/<name>} runs one ({@link AdminCommands}), with ZooKeeper's JSON, status codes
 * and headers, under the path admin.commandURL names ({@code /commands} by default).
 */
public final class CommandRoutes implements ManagementRouteProvider {
    private final ExtendedActorSystem system;
    private final String commandUrl;

    public CommandRoutes(ExtendedActorSystem system) {
        this.system = system;
        var config = system.settings().config();
        this.commandUrl = config.hasPath(PekkoSettings.COMMAND_URL) ? config.getString(PekkoSettings.COMMAND_URL) : "/commands";
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return pathPrefix(PathMatchers.separateOnSlashes(commandUrl.substring(1)), () -> concat(
            pathEndOrSingleSlash(() -> get(this::index)),
            path(PathMatchers.segment(), name -> extractMethod(method -> optionalHeaderValueByName("Authorization",
                authorization -> answer(name, AdminCommands.run(name, method.name(), authorization.orElse(null),
                    AdminContext.get(system).server())))))));
    }

    /** As ZooKeeper's page: a link to each command, with no Content-Type. */
    private Route index() {
        StringBuilder b = new StringBuilder();
        for (String name : AdminCommands.primaryNames()) {
            b.append("<a href=\"").append(commandUrl).append('/').append(name).append("\">").append(name)
                .append("</a>\n<br/>\n");
        }
        return complete(StatusCodes.OK, HttpEntities.create(ContentTypes.NO_CONTENT_TYPE,
            b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static Route answer(String name, AdminCommands.Answer answer) {
        Route json = PaddockRoutes.json(StatusCodes.get(answer.status()), answer.body());
        if (answer.status() != StatusCodes.METHOD_NOT_ALLOWED.intValue()) {
            return json;
        }
        return respondWithHeader(Allow.create(HttpMethods.lookup(AdminCommands.named(name).method()).get()), () -> json);
    }
}
