package io.paddock.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ThrowablesTest {
    @Test
    void theRootIsTheInnermostCause() {
        IOException disk = new IOException("No space left on device");
        assertThat(Throwables.root(new CompletionException(new UncheckedIOException(disk)))).isSameAs(disk);
    }

    @Test
    void aFailureWithoutCauseIsItsOwnRoot() {
        IllegalStateException alone = new IllegalStateException("alone");
        assertThat(Throwables.root(alone)).isSameAs(alone);
    }
}
