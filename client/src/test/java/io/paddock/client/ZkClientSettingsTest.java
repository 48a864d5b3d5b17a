package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZkClientSettingsTest {
    private static ZkClientSettings read(String overrides) {
        return ZkClientSettings.fromConfig(ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.defaultReference()).getConfig("paddock.client"));
    }

    @Test
    void theDefaultsAreZooKeepersClientDefaults() {
        ZkClientSettings s = read("");
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.juteMaxBuffer()).isEqualTo(0xfffff);
        assertThat(s.canBeReadOnly()).isFalse();
        assertThat(s.renewSessionOnExpiry()).isFalse();
        assertThat(s.retry()).isEqualTo(new ZkClientSettings.RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5)));
    }

    @Test
    void anApplicationOverridesKeysAndCodeOverridesOneAtATime() {
        ZkClientSettings s = read("paddock.client { session-timeout = 4s, jute-maxbuffer = 4096, retry.max-retries = 0 }");
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.juteMaxBuffer()).isEqualTo(4096);
        assertThat(s.retry().maxRetries()).isZero();
        assertThat(s.withCanBeReadOnly(true).canBeReadOnly()).isTrue();
        assertThat(s.withCanBeReadOnly(true).sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void impossibleValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("paddock.client.max-in-flight = 0")).hasMessageContaining("max-in-flight");
        assertThatThrownBy(() -> read("paddock.client.retry { base-sleep = 2s, max-sleep = 1s }"))
            .hasMessageContaining("base-sleep");
        assertThatThrownBy(() -> read("paddock.client.session-timeout = 0s")).hasMessageContaining("session timeout");
    }
}
