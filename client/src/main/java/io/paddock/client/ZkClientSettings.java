package io.paddock.client;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How a client connects and behaves, read from {@code paddock.client} (the module's
 * reference.conf documents every key) as Pekko modules read theirs. Immutable; the
 * {@code with*} methods return a changed copy.
 */
public record ZkClientSettings(Duration sessionTimeout, int juteMaxBuffer, boolean canBeReadOnly, int maxInFlight,
                               RetryPolicy retry, boolean renewSessionOnExpiry) {
    public ZkClientSettings {
        ZkSession.checkTimeout(sessionTimeout);
        if (juteMaxBuffer <= 0) {
            throw new IllegalArgumentException("jute-maxbuffer must be positive: " + juteMaxBuffer);
        }
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("max-in-flight must be positive: " + maxInFlight);
        }
        Objects.requireNonNull(retry, "retry");
    }

    /** The settings in {@code system}'s config. */
    public static ZkClientSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig("paddock.client"));
    }

    /** Reads the keys of {@code paddock.client} from {@code config} (that section itself). */
    public static ZkClientSettings fromConfig(Config config) {
        Config retry = config.getConfig("retry");
        return new ZkClientSettings(config.getDuration("session-timeout"), config.getInt("jute-maxbuffer"),
            config.getBoolean("can-be-read-only"), config.getInt("max-in-flight"),
            new RetryPolicy(retry.getInt("max-retries"), retry.getDuration("base-sleep"), retry.getDuration("max-sleep")),
            config.getBoolean("renew-session-on-expiry"));
    }

    public ZkClientSettings withSessionTimeout(Duration timeout) {
        return new ZkClientSettings(timeout, juteMaxBuffer, canBeReadOnly, maxInFlight, retry, renewSessionOnExpiry);
    }

    public ZkClientSettings withJuteMaxBuffer(int bytes) {
        return new ZkClientSettings(sessionTimeout, bytes, canBeReadOnly, maxInFlight, retry, renewSessionOnExpiry);
    }

    public ZkClientSettings withCanBeReadOnly(boolean readOnly) {
        return new ZkClientSettings(sessionTimeout, juteMaxBuffer, readOnly, maxInFlight, retry, renewSessionOnExpiry);
    }

    public ZkClientSettings withMaxInFlight(int requests) {
        return new ZkClientSettings(sessionTimeout, juteMaxBuffer, canBeReadOnly, requests, retry, renewSessionOnExpiry);
    }

    public ZkClientSettings withRetry(RetryPolicy policy) {
        return new ZkClientSettings(sessionTimeout, juteMaxBuffer, canBeReadOnly, maxInFlight, policy, renewSessionOnExpiry);
    }

    public ZkClientSettings withRenewSessionOnExpiry(boolean renew) {
        return new ZkClientSettings(sessionTimeout, juteMaxBuffer, canBeReadOnly, maxInFlight, retry, renew);
    }

    /**
     * Retries after CONNECTIONLOSS: up to {@code maxRetries}, the n-th after about
     * {@code baseSleep * 2^n}, never longer than {@code maxSleep}. {@link #NONE} never retries.
     */
    public record RetryPolicy(int maxRetries, Duration baseSleep, Duration maxSleep) {
        public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

        public RetryPolicy {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("max-retries must not be negative: " + maxRetries);
            }
            if (baseSleep.isNegative() || maxSleep.compareTo(baseSleep) < 0) {
                throw new IllegalArgumentException("need 0 <= base-sleep <= max-sleep: " + baseSleep + ", " + maxSleep);
            }
        }
    }
}
