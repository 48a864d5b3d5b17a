package io.paddock.tests.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Prometheus' text format, read into what a test asserts on: each sample's value, and each family's TYPE. */
public record PrometheusText(Map<String, Double> samples, Map<String, String> types) {

    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                types.put(f[2], f[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new PrometheusText(samples, types);
    }

    /** The value of the sample {@code name} (with its labels as written, e.g. {@code x{op="create"}}); fails when absent. */
    public double value(String name) {
        Double v = samples.get(name);
        if (v == null) {
            throw new AssertionError("no sample " + name + " among " + samples.keySet());
        }
        return v;
    }
}
