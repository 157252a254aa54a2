package dev.lakerank.featurestore.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RedisServerTest {
  @Test
  void skipsWithAClearMessageWhenRedisIsNotReachable() throws IOException {
    int port = closedPort();
    assertThatThrownBy(() -> RedisServer.require("127.0.0.1", port, Map.of()))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("Redis not reachable at 127.0.0.1:" + port + "; ")
        .hasMessageContaining("redis-server --port " + port);
  }

  @Test
  void failsOnCiWhenRedisIsNotReachable() throws IOException {
    int port = closedPort();
    assertThatThrownBy(() -> RedisServer.require("127.0.0.1", port, Map.of("CI", "true")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining(
            "Redis not reachable at 127.0.0.1:"
                + port
                + "; CI=true, so the Redis online store tests must run");
  }

  /**
   * A loopback port nothing listens on: one the system just handed out and that was closed again.
   */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
