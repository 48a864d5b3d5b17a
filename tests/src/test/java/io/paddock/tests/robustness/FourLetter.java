package io.paddock.tests.robustness;

import io.paddock.tests.support.ServerProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/** Four-letter words for the tests: the raw answer, and the "Key: value" / "key\tvalue" / "key=value" lines parsed. */
final class FourLetter {
    private FourLetter() {
    }

    static String ask(int port, String word) {
        return ServerProcess.fourLetterWord("127.0.0.1", port, word);
    }

    /** srvr's "Key: value" lines. */
    static Map<String, String> srvr(int port) {
        return parse(ask(port, "srvr"), ": ");
    }

    static Map<String, String> mntr(int port) {
        return parse(ask(port, "mntr"), "\t");
    }

    static int connections(int port) {
        return Integer.parseInt(srvr(port).get("Connections"));
    }

    static Map<String, String> parse(String answer, String separator) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : answer.split("\n")) {
            int i = line.indexOf(separator);
            if (i > 0) {
                m.put(line.substring(0, i), line.substring(i + separator.length()));
            }
        }
        return m;
    }
}
