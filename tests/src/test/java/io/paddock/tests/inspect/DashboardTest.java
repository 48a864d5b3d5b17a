package io.paddock.tests.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.AdminHttp;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.HeadlessBrowser;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ZkClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, the dashboard at {@code /dashboard}: its files come from the node and load nothing
 * from elsewhere; loaded in Debian's chromium, the page shows the ensemble and its leader, follows
 * a leader change on its own while keeping the servers that stopped answering, and browses the
 * znode tree without ever running a znode's data as HTML. The browser tests are skipped where
 * chromium is not installed ({@code apt-get install chromium}; .ci/run installs it).
 */
class DashboardTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The ensemble table's rows as the page shows them: each row's data-* hooks and its cells' text. */
    private static final String ROWS = "[...document.querySelectorAll('#ensemble tbody tr')]"
        + ".map(tr => Object.assign({cells: [...tr.cells].map(td => td.textContent)}, tr.dataset))";
    private static final String LEADER = "document.getElementById('leader').textContent";

    @TempDir
    Path dir;

    private static Map<String, String> admin(int port) {
        return Map.of("admin.enableServer", "true", "admin.serverAddress", "127.0.0.1",
            "admin.serverPort", Integer.toString(port));
    }

    private HeadlessBrowser browser() {
        Path chromium = HeadlessBrowser.chromium().orElse(null);
        assumeTrue(chromium != null, "chromium is not installed (Debian package chromium; .ci/run installs it)");
        return HeadlessBrowser.start(chromium, dir.resolve("browser"));
    }

    @Test
    void theDashboardsFilesAreServedFromTheNodeWithTheirTypesAndLoadNothingFromElsewhere() throws Exception {
        int port = LoopbackPorts.free();
        try (InProcessServer server = InProcessServer.start(dir, admin(port))) {
            Map<String, String> types = Map.of("/dashboard", "text/html; charset=UTF-8",
                "/dashboard/app.js", "application/javascript; charset=UTF-8", "/dashboard/app.css", "text/css; charset=UTF-8");
            for (var e : types.entrySet()) {
                AdminHttp.Answer a = AdminHttp.get(port, e.getKey());
                assertThat(a.status()).as(e.getKey()).isEqualTo(200);
                assertThat(a.contentType()).as(e.getKey()).isEqualTo(e.getValue());
                // no URL of another origin (the SVG namespace is a name, not a request)
                assertThat(a.body().replace("http://www.w3.org/2000/svg", "")).as(e.getKey())
                    .doesNotContainPattern("(https?:)?//[a-z]").doesNotContain("@import");
            }
            assertThat(AdminHttp.get(port, "/dashboard").body()).contains("dashboard/app.js", "dashboard/app.css");

            // the browser is told so too, so that nothing but the node's own files can run in the page
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dashboard")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'; frame-ancestors 'none'");

            // the page's links are relative to /dashboard: /dashboard/ leads there
            AdminHttp.Answer slash = AdminHttp.get(port, "/dashboard/");
            assertThat(slash.status()).isEqualTo(301);
            assertThat(AdminHttp.get(port, "/dashboard/missing.js").status()).isEqualTo(404);
            assertThat(AdminHttp.get(port, "/dashboard/..%2Fpaddock-node.conf").status()).isEqualTo(404);
        }
    }

    @Test
    void onAStandaloneNodeThePageShowsItAsLeaderAndBrowsesTheTreeShowingDataAsText() throws Exception {
        int port = LoopbackPorts.free();
        String html = "<img src=x onerror=\"document.title='ran'\">";
        byte[] binary = {0, 1, 2, (byte) 0xff};
        try (HeadlessBrowser browser = browser();
             InProcessServer server = InProcessServer.start(dir, admin(port));
             ZooKeeper zk = ZkClients.connect(server.connectString())) {
            zk.create("/html", html.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/bin", binary, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
            zk.create("/secret", "s".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            zk.create("/many", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 150; i++) {
                zk.create(String.format("/many/n%03d", i), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            String id = AdminHttp.json(port, "/paddock/status").get("serverId").asText();

            browser.open("http://127.0.0.1:" + port + "/dashboard#/html");
            Await.until(WAIT, "the page shows the standalone node as its own leader", () -> {
                JsonNode rows = browser.eval(ROWS);
                return rows.size() == 1 && rows.get(0).get("role").asText().equals("standalone")
                    && rows.get(0).get("leader").asText().equals("true") && browser.eval(LEADER).asText().equals(id);
            });
            assertThat(browser.eval(ROWS).get(0).get("serverId").asText()).isEqualTo(id);

            // a znode's data is shown as text, never parsed as HTML
            assertThat(awaitData(browser, "/html")).isEqualTo(html);
            assertThat(browser.eval("document.querySelectorAll('#znode img').length").asInt()).isZero();
            assertThat(browser.eval("document.title").asText()).isEqualTo("Paddock");
            assertThat(browser.eval("[...document.querySelectorAll('#tree li[data-path]')].map(li => li.dataset.path)"))
                .extracting(JsonNode::asText).contains("/", "/html", "/bin", "/secret", "/many", "/zookeeper");

            browser.eval("location.hash = '#/bin'");
            assertThat(awaitData(browser, "/bin")).isEqualTo(Base64.getEncoder().encodeToString(binary));
            assertThat(znodeText(browser)).contains("base64");

            browser.eval("location.hash = '#/secret'");
            Await.until(WAIT, "the page says /secret's data is hidden by its ACL",
                () -> znodeText(browser).startsWith("/secret") && znodeText(browser).contains("hidden by ACL"));

            // children come a page of 100 at a time
            browser.eval("location.hash = '#/many/n149'");
            String children = "document.querySelectorAll('#tree li[data-path^=\"/many/\"]').length";
            Await.until(WAIT, "the first page of /many's children", () -> browser.eval(children).asInt() == 100);
            browser.eval("document.querySelector('#tree .more').click()");
            Await.until(WAIT, "all of /many's children after 'more'", () -> browser.eval(children).asInt() == 150);
            assertThat(browser.eval("document.querySelectorAll('#tree .more').length").asInt()).isZero();
            assertThat(znodeText(browser)).startsWith("/many/n149");
        }
    }

    @Test
    void thePageFollowsALeaderChangeKeepingTheServersThatStoppedAnswering() throws Exception {
        try (HeadlessBrowser browser = browser();
             InProcessEnsemble ensemble = InProcessEnsemble.startWithAdmin(dir, 3, Map.of())) {
            int leader = ensemble.awaitServing(WAIT);
            // a follower serves the page, so that the page outlives the leader
            List<Integer> survivors = new ArrayList<>(ensemble.ids());
            survivors.remove(Integer.valueOf(leader));
            int self = survivors.get(0);
            browser.open("http://127.0.0.1:" + ensemble.adminPort(self) + "/dashboard");

            AtomicReference<JsonNode> rows = new AtomicReference<>();
            Await.until(WAIT, "the page shows servers 1, 2 and 3 answering, and " + leader + " leading", () -> {
                rows.set(browser.eval(ROWS));
                return browser.eval(LEADER).asText().equals(Integer.toString(leader)) && rows.get().size() == 3
                    && all(rows.get(), r -> r.get("reachable").asText().equals("true") && !r.get("cells").get(7).asText().equals("—"));
            });
            assertThat(rows.get().findValues("serverId")).extracting(JsonNode::asText).containsExactly("1", "2", "3");
            for (JsonNode r : rows.get()) {
                int id = r.get("serverId").asInt();
                assertThat(r.get("role").asText()).as("server %d's role", id).isEqualTo(id == leader ? "leader" : "follower");
                assertThat(r.get("leader").asText()).as("server %d's leader mark", id).isEqualTo(Boolean.toString(id == leader));
                assertThat(r.get("cells").get(0).asText()).as("server %d's first cell", id)
                    .isEqualTo(id + (id == leader ? "leader" : "") + (id == self ? "this node" : ""));
                assertThat(r.get("cells").get(7).asText()).as("server %d's lag", id).matches("\\d+");
            }

            // requests through the page's node show in its charts
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(self))) {
                zk.create("/app", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                for (int i = 0; i < 50; i++) {
                    zk.getData("/app", false, null);
                }
            }
            Await.until(WAIT, "the charts show the mean latency of those requests", () -> browser
                .eval("document.querySelector('#latency-legend li').textContent").asText().matches("mean, all requests: [\\d.]+ ms")
                && browser.eval("document.querySelector('#rate-chart path.series').getAttribute('d')").asText().contains("L"));

            // the leader stops: the same page, never reloaded, shows the new leader, and the old one as it last answered
            ensemble.stopNode(leader);
            List<JsonNode> shrunk = new ArrayList<>();
            Await.until(WAIT, "the page shows a new leader among " + survivors + " and server " + leader + " stale", () -> {
                rows.set(browser.eval(ROWS));
                if (rows.get().size() != 3) {
                    shrunk.add(rows.get());
                }
                JsonNode gone = row(rows.get(), leader);
                return survivors.contains(leaderShown(browser)) && gone.get("reachable").asText().equals("false");
            });
            assertThat(shrunk).as("tables with fewer than three servers during the change").isEmpty();
            JsonNode gone = row(rows.get(), leader);
            assertThat(gone.get("stale").asText()).isEqualTo("true");
            assertThat(gone.get("leader").asText()).isEqualTo("false");
            assertThat(gone.get("cells").get(2).asText()).startsWith("leader (last seen ");
            assertThat(gone.get("cells").get(4).asText()).isEqualTo("no");
            int newLeader = leaderShown(browser);
            assertThat(row(rows.get(), newLeader).get("role").asText()).isEqualTo("leader");

            // one more stops: no leader is known, and the page says so, keeping all three servers
            int other = survivors.get(1);
            ensemble.stopNode(other);
            Await.until(WAIT, "the page says no leader is known", () -> browser.eval(LEADER).asText().equals("none known")
                && !browser.eval("document.getElementById('notice').hidden").asBoolean());
            assertThat(browser.eval("document.getElementById('notice').textContent").asText()).startsWith("No leader known");
            Await.until(WAIT, "servers " + leader + " and " + other + " shown stale, " + self + " answering", () -> {
                rows.set(browser.eval(ROWS));
                return rows.get().size() == 3 && row(rows.get(), other).get("stale").asText().equals("true")
                    && row(rows.get(), self).get("reachable").asText().equals("true");
            });
            assertThat(row(rows.get(), leader).get("stale").asText()).isEqualTo("true");
            assertThat(row(rows.get(), other).get("cells").get(2).asText()).startsWith(
                (other == newLeader ? "leader" : "follower") + " (last seen ");
        }
    }

    /** The leader's id as the page shows it; -1 while it shows none. */
    private static int leaderShown(HeadlessBrowser browser) {
        String text = browser.eval(LEADER).asText();
        return text.matches("\\d+") ? Integer.parseInt(text) : -1;
    }

    /** The selected znode's data, once the page shows {@code path}. */
    private static String awaitData(HeadlessBrowser browser, String path) {
        String data = "document.querySelector('#znode pre.data')";
        Await.until(WAIT, "the page shows " + path + "'s data", () -> znodeText(browser).startsWith(path)
            && browser.eval(data + " !== null").asBoolean());
        return browser.eval(data + ".textContent").asText();
    }

    private static String znodeText(HeadlessBrowser browser) {
        return browser.eval("document.getElementById('znode').textContent").asText();
    }

    private static JsonNode row(JsonNode rows, int id) {
        for (JsonNode r : rows) {
            if (r.get("serverId").asInt() == id) {
                return r;
            }
        }
        throw new AssertionError("server " + id + " is not in the table: " + rows);
    }

    private static boolean all(JsonNode rows, Predicate<JsonNode> p) {
        for (JsonNode r : rows) {
            if (!p.test(r)) {
                return false;
            }
        }
        return true;
    }
}
