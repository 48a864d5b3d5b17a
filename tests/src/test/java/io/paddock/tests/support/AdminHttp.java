package io.paddock.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Requests to a node's admin port (Paddock's routes, pekko-management's, ZooKeeper's /commands). */
public final class AdminHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: its status code, its Content-Type ("" when none), its body, and all its headers. */
    public record Answer(int status, String contentType, String body, HttpHeaders headers) {
        /** The body as JSON; fails the test with the body when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private AdminHttp() {
    }

    /** GET http://127.0.0.1:{@code port}{@code pathAndQuery}. */
    public static Answer get(int port, String pathAndQuery) {
        return send(port, "GET", pathAndQuery, Map.of());
    }

    /** {@code method} (with no body) http://127.0.0.1:{@code port}{@code pathAndQuery}, with these headers. */
    public static Answer send(int port, String method, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        HttpRequest request = b.build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON of a GET that must answer 200. */
    public static JsonNode json(int port, String pathAndQuery) {
        Answer a = get(port, pathAndQuery);
        if (a.status() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " on port " + port + " answered " + a.status() + ": " + a.body());
        }
        return a.json();
    }
}
