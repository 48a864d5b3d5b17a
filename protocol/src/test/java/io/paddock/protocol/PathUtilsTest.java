package io.paddock.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathUtilsTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b", "/a.b", "/..a", "/a..", "/zookeeper", "/ü/ñ", "/a b"})
    void validPaths(String path) {
        assertThat(PathUtils.invalidReason(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a/b", "//", "//b", "/a/", "/a//b", "/.", "/..", "/a/./b", "/a/../b", "/a/.",
        "/a\u0000b", "/a\u0001", "/a\u007f", "/a\ud800", "/a\ufff5"})
    void invalidPaths(String path) {
        assertThat(PathUtils.invalidReason(path)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void parentsAndNames() {
        assertThat(PathUtils.parentOf("/a/b")).isEqualTo("/a");
        assertThat(PathUtils.parentOf("/a")).isEmpty();
        assertThat(PathUtils.normalize(PathUtils.parentOf("/a"))).isEqualTo("/");
        assertThat(PathUtils.nameOf("/a/b")).isEqualTo("b");
        assertThat(PathUtils.child("/", "a")).isEqualTo("/a");
        assertThat(PathUtils.child("/a", "b")).isEqualTo("/a/b");
        assertThat(PathUtils.isAtOrBelow("/a/b", "/a")).isTrue();
        assertThat(PathUtils.isAtOrBelow("/ab", "/a")).isFalse();
        assertThat(PathUtils.isAtOrBelow("/x", "/")).isTrue();
    }
}
