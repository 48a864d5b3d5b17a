package io.paddock.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the DevTools protocol: one page that stays open (its
 * scripts run in real time, as a user's would), and JavaScript evaluated in it to read its DOM.
 * Chromium runs with a fresh profile under the test's directory; it and every process it started
 * are killed by PID on {@link #close}.
 */
public final class HeadlessBrowser implements AutoCloseable {
    /** Chromium's start on a loaded 2-core machine, and any one call to it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    /** Chromium's renderer and helper processes, remembered while it runs: they are killed by PID even after the browser process is gone. */
    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket page;

    private HeadlessBrowser(Process process) {
        this.process = process;
        started.add(process.toHandle());
    }

    /** Chromium on the PATH, where Debian's package {@code chromium} installs it; empty when it is not installed. */
    public static Optional<Path> chromium() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "chromium");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Starts {@code chromium} with its profile in {@code dir} (which must not exist yet), showing a blank page. */
    public static HeadlessBrowser start(Path chromium, Path dir) {
        Path profile = dir.resolve("profile");
        List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            // a free loopback port, written to the profile's DevToolsActivePort
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank");
        HeadlessBrowser browser;
        try {
            Files.createDirectories(dir);
            browser = new HeadlessBrowser(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + chromium + ": " + e.getMessage(), e);
        }
        try {
            browser.connect(profile.resolve("DevToolsActivePort"));
            return browser;
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    private void connect(Path activePort) {
        Await.until(TIMEOUT, "chromium's DevTools port in " + activePort, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + " (its log is beside its profile)");
            }
            return Files.exists(activePort) && Files.readAllLines(activePort).size() >= 2;
        });
        int port;
        try {
            port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] target = new String[1];
        Await.until(TIMEOUT, "chromium's blank page", () -> {
            for (JsonNode t : AdminHttp.get(port, "/json/list").json()) {
                if (t.path("type").asText().equals("page")) {
                    target[0] = t.get("webSocketDebuggerUrl").asText();
                    return true;
                }
            }
            return false;
        });
        page = get(HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(target[0]), new Listener()));
        remember();
    }

    /** Loads {@code url} in the page. */
    public void open(String url) {
        ObjectNode params = JSON.createObjectNode().put("url", url);
        JsonNode answer = call("Page.navigate", params);
        if (answer.has("errorText")) {
            throw new AssertionError("chromium cannot open " + url + ": " + answer.get("errorText").asText());
        }
    }

    /** The value of a JavaScript expression in the page (JSON values come back as they are). */
    public JsonNode eval(String expression) {
        JsonNode answer = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
            .put("returnByValue", true));
        if (answer.has("exceptionDetails")) {
            throw new AssertionError("the page threw on " + expression + ": " + answer.get("exceptionDetails"));
        }
        remember();
        return answer.get("result").path("value");
    }

    private JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        get(page.sendText(message.toString(), true));
        JsonNode result = get(answer);
        if (result.has("error")) {
            throw new AssertionError("chromium refused " + method + ": " + result.get("error"));
        }
        return result.get("result");
    }

    private static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("chromium: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("chromium did not answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember() {
        process.descendants().forEach(started::add);
    }

    /** The answers to our calls; chromium's events (messages without an id) are not asked for and ignored. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(message.toString());
                    CompletableFuture<JsonNode> answer = m.has("id") ? calls.remove(m.get("id").asInt()) : null;
                    if (answer != null) {
                        answer.complete(m);
                    }
                } catch (IOException e) {
                    failAll(e);
                }
                message.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            failAll(new IOException("chromium closed the DevTools connection: " + status + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failAll(error);
        }

        private void failAll(Throwable error) {
            calls.values().forEach(c -> c.completeExceptionally(error));
        }
    }

    /** Kills chromium and every process it started, by PID, and waits until they are gone. */
    @Override
    public void close() {
        if (page != null) {
            page.abort();
        }
        if (process.isAlive()) {
            remember();
        }
        started.forEach(ProcessHandle::destroyForcibly);
        // gone before the test deletes their profile directory
        started.forEach(h -> h.onExit().completeOnTimeout(h, TIMEOUT.toSeconds(), TimeUnit.SECONDS).join());
    }
}
