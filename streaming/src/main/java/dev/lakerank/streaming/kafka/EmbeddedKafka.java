package dev.lakerank.streaming.kafka;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.streaming.StreamingErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker in this JVM, in KRaft mode (broker and controller in one process, no
 * ZooKeeper): the embedded default of {@code lakerank kafka start} and the tests' real broker.
 *
 * <p>The log directory is formatted on first start and kept, so a restarted broker has its topics
 * and messages. Topics are replicated once and the internal topics (offsets, transactions) too, as
 * one broker requires.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of("data/kafka"), 9092)) {
 *   String bootstrap = kafka.bootstrapServers(); // 127.0.0.1:9092
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final int NODE_ID = 1;
  private static final String CONTROLLER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final Path logDirectory;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, Path logDirectory, int port) {
    this.server = server;
    this.logDirectory = logDirectory;
    this.port = port;
  }

  /**
   * Starts a broker on 127.0.0.1:{@code port} (0 for any free port) with its log under {@code
   * logDirectory}, and waits until it answers.
   *
   * @throws LakerankException when the port is taken or the directory holds another cluster's log
   */
  public static EmbeddedKafka start(Path logDirectory, int port) {
    requireNonNull(logDirectory, "logDirectory");
    Path directory = logDirectory.toAbsolutePath().normalize();
    int brokerPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    if (!portFree(brokerPort)) {
      throw StreamingErrors.conflict(
          "port "
              + brokerPort
              + " is taken (another broker?); stop it, or choose another port "
              + "with --set kafka.bootstrap-servers=127.0.0.1:<port>");
    }
    Properties properties = new Properties();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(NODE_ID));
    properties.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    properties.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ","
            + CONTROLLER
            + "://127.0.0.1:"
            + controllerPort);
    properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    properties.put(
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    properties.put("controller.listener.names", CONTROLLER);
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    properties.put("log.dirs", directory.toString());
    properties.put("num.partitions", "1");
    properties.put("default.replication.factor", "1");
    properties.put("offsets.topic.replication.factor", "1");
    properties.put("offsets.topic.num.partitions", "4");
    properties.put("transaction.state.log.replication.factor", "1");
    properties.put("transaction.state.log.min.isr", "1");
    properties.put("transaction.state.log.num.partitions", "4");
    properties.put("group.initial.rebalance.delay.ms", "0");
    properties.put("auto.create.topics.enable", "false");
    // one machine: a week of messages, and segments small enough to clean
    properties.put("log.retention.hours", "168");
    properties.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    try {
      Files.createDirectories(directory);
      format(directory);
      KafkaConfig config = KafkaConfig.fromProps(properties, false);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka = new EmbeddedKafka(server, directory, brokerPort);
      kafka.awaitReady();
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka log directory " + directory, e);
    } catch (RuntimeException e) {
      if (e instanceof LakerankException) {
        throw e;
      }
      throw StreamingErrors.unavailable(
          "the in-process Kafka broker did not start (log "
              + directory
              + "): "
              + e.getMessage()
              + "; if the directory holds another cluster's log, remove it or choose another with --set kafka.data-dir=...",
          e);
    }
  }

  /** Formats the log directory for this node once; a formatted one is kept as it is. */
  private static void format(Path directory) {
    if (Files.exists(directory.resolve("meta.properties"))) {
      return;
    }
    try {
      new Formatter()
          .setPrintStream(
              new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(directory.toString()))
          .setMetadataLogDirectory(directory.toString())
          .setControllerListenerName(CONTROLLER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setSupportedFeatures(Features.PRODUCTION_FEATURES)
          .setNoInitialControllersFlag(true)
          .run();
    } catch (Exception e) {
      throw StreamingErrors.unavailable(
          "cannot format the Kafka log directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    RuntimeException last = null;
    try (Admin client = Admin.create(admin)) {
      while (Instant.now().isBefore(deadline)) {
        try {
          client.describeCluster().nodes().get();
          return;
        } catch (Exception e) {
          last = new RuntimeException(e.getMessage(), e);
          pause();
        }
      }
    }
    close();
    throw StreamingErrors.unavailable(
        "the in-process Kafka broker did not answer within "
            + READY_TIMEOUT.toSeconds()
            + " s"
            + (last == null ? "" : ": " + last.getMessage()));
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StreamingErrors.unavailable("interrupted while waiting for the Kafka broker");
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path logDirectory() {
    return logDirectory;
  }

  /** Stops the broker and waits for it; its log stays. A second call does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
