package dev.lakerank.streaming.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.streaming.testing.KafkaHarness;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingCommandsTest {
  @TempDir Path temp;

  @Test
  void theCommandsJoinTheCli() {
    CliRun help = CliRun.run(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("stream ", "kafka ", "produce ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "stream",
        "stream ingest",
        "stream features",
        "stream logs",
        "stream all",
        "kafka",
        "kafka start",
        "produce"
      })
  void everyCommandHasHelp(String command) {
    String[] args = (command + " --help").split(" ");
    CliRun help = CliRun.run(Map.of(), args);
    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: lakerank " + command);
  }

  @Test
  void saysWhereKafkaIsNotAndHowToStartOne() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CliRun run =
        CliRun.run(
            Map.of(),
            "stream",
            "ingest",
            "--bootstrap-servers",
            "127.0.0.1:" + port,
            "--lakehouse",
            temp.resolve("lakehouse").toString(),
            "--set",
            "kafka.conf.default.api.timeout.ms=3000",
            "--set",
            "kafka.conf.request.timeout.ms=2000");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("Kafka at 127.0.0.1:" + port + " did not answer")
        .contains("lakerank kafka start");
  }

  @Test
  void namesATopicThatDoesNotExist() {
    CliRun run =
        CliRun.run(
            Map.of(),
            "stream",
            "features",
            "--bootstrap-servers",
            KafkaHarness.bootstrapServers(),
            "--set",
            "stream.events-topic=no-such-topic",
            "--lakehouse",
            temp.resolve("lakehouse").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("has no topic no-such-topic").contains("kafka start");
  }

  @Test
  void refusesABadBootstrapServerList() {
    CliRun run =
        CliRun.run(Map.of(), "produce", "--bootstrap-servers", "localhost", "--events", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("kafka.bootstrap-servers")
        .contains("`localhost` is not host:port");
  }

  @Test
  void producesAGeneratedLogRetimedToNowKeepingItsCorruptions() throws Exception {
    Path events = temp.resolve("raw/events/date=2026-01-01");
    java.nio.file.Files.createDirectories(events);
    java.nio.file.Files.write(
        events.resolve("part-0.jsonl"),
        List.of(
            "{\"event_id\":\"a\",\"user_id\":1,\"item_id\":2,\"event_type\":\"impression\",\"event_time\":\"2026-01-01T10:00:00Z\"}",
            "{\"event_id\":\"b\",\"user_id\":1,\"item_id\":2,\"event_type\":\"click\",\"event_time\":\"yesterday evening\"}",
            "{\"event_id\":\"c\",\"user_id\":2,\"item_id\":3,\"event_type\":\"impression\",\"event_time\":\"2036-01-01T10:00:00Z\"}",
            "{\"event_id\":\"d\",\"user_id\":"));
    String topic = KafkaHarness.newTopic("produce", 1);
    java.time.Instant before = java.time.Instant.now();
    CliRun run =
        CliRun.run(
            Map.of(),
            "produce",
            "--raw",
            temp.resolve("raw").toString(),
            "--rate",
            "0",
            "--loop",
            "--events",
            "6",
            "--bootstrap-servers",
            KafkaHarness.bootstrapServers(),
            "--set",
            "stream.events-topic=" + topic);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("sent 6 events to " + topic);

    List<String> sent =
        KafkaHarness.readAll(topic, 6).stream()
            .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
            .toList();
    assertThat(sent).hasSize(6);
    java.time.Instant retimed =
        java.time.Instant.parse(sent.get(0).replaceAll(".*\"event_time\":\"([^\"]+)\".*", "$1"));
    assertThat(retimed).isAfterOrEqualTo(before.minusSeconds(1));
    assertThat(sent.get(1)).contains("yesterday evening");
    assertThat(sent.get(2)).contains("2036-01-01T10:00:00Z");
    assertThat(sent.get(3)).isEqualTo("{\"event_id\":\"d\",\"user_id\":");
    // the second pass is new events, not re-deliveries
    assertThat(sent.get(4)).contains("\"event_id\":\"a-r2\"");
  }
}
