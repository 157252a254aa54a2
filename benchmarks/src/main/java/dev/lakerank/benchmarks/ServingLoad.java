package dev.lakerank.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for the serving API over loopback: {@code connections} clients, each on its own
 * keep-alive connection, asking {@code GET /v1/recommendations/{user}?k=K} for users drawn in turn
 * from 1..users.
 *
 * <p>At a fixed rate the clients share a schedule (open loop) and a request's latency counts from
 * the moment it was due, not from when it was sent, so a stalled server is charged for the requests
 * it delayed (no coordinated omission). With {@code --rate max} each client sends its next request
 * when the last one is answered (closed loop), which finds the highest throughput.
 *
 * <pre>
 * ServingLoad --url http://127.0.0.1:8080 --connections 100 --rates 1000,2000,max --duration 30 --warmup 10 --users 2000 --k 10
 * </pre>
 */
public final class ServingLoad {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String url;
  private final int connections;
  private final int users;
  private final int k;

  /** One run's figures; latencies in microseconds. */
  public record Result(
      String rate,
      long requests,
      long errors,
      double seconds,
      double throughput,
      long p50,
      long p95,
      long p99,
      long max) {
    String line() {
      return String.format(
          Locale.ROOT,
          "| %s | %,d | %d | %,.0f | %.2f | %.2f | %.2f | %.2f |",
          rate,
          requests,
          errors,
          throughput,
          p50 / 1000.0,
          p95 / 1000.0,
          p99 / 1000.0,
          max / 1000.0);
    }
  }

  ServingLoad(String url, int connections, int users, int k) {
    this.url = url.replaceAll("/$", "");
    this.connections = connections;
    this.users = users;
    this.k = k;
  }

  public static void main(String[] args) throws Exception {
    String url = "http://127.0.0.1:8080";
    int connections = 100;
    int users = 2000;
    int k = 10;
    double duration = 30;
    double warmup = 10;
    List<String> rates = List.of("max");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--k" -> k = Integer.parseInt(args[++i]);
        case "--duration" -> duration = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--rates" -> rates = Arrays.asList(args[++i].split(","));
        case "-h", "--help" -> {
          System.out.println(
              "ServingLoad [--url U] [--connections N] [--users N] [--k K] [--rates R,..|max] "
                  + "[--duration S] [--warmup S]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see --help");
      }
    }
    ServingLoad load = new ServingLoad(url, connections, users, k);
    PrintStream out = System.out;
    out.printf(
        "%d connections, users 1..%d, k=%d, %.0f s warm-up then %.0f s measured per rate%n",
        connections, users, k, warmup, duration);
    out.println(
        "| rate (req/s) | requests | errors | throughput (req/s) | p50 ms | p95 ms | p99 ms | max ms |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String rate : rates) {
      double perSecond = rate.equals("max") ? 0 : Double.parseDouble(rate);
      load.run(perSecond, warmup);
      out.println(load.run(perSecond, duration).line());
    }
  }

  /**
   * Runs for {@code seconds} at {@code rate} requests per second in all (0: as fast as answered).
   */
  Result run(double rate, double seconds) throws InterruptedException {
    long start = System.nanoTime() + 50_000_000L;
    long end = start + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long[][] latencies = new long[connections][];
    int[] counts = new int[connections];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                long[] mine = new long[1 << 14];
                int n = 0;
                for (long i = 0; ; i++) {
                  long due =
                      rate > 0
                          ? start + (long) ((i * connections + client) * 1e9 / rate)
                          : System.nanoTime();
                  if (due >= end || System.nanoTime() >= end) {
                    break;
                  }
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    sleep(wait);
                  }
                  long user = 1 + Math.floorMod(sequence.getAndIncrement() * 7919, users);
                  HttpRequest request =
                      HttpRequest.newBuilder(
                              URI.create(url + "/v1/recommendations/" + user + "?k=" + k))
                          .timeout(Duration.ofSeconds(30))
                          .GET()
                          .build();
                  try {
                    HttpResponse<byte[]> response =
                        http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                      errors.incrementAndGet();
                    }
                  } catch (IOException e) {
                    errors.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  if (n == mine.length) {
                    mine = Arrays.copyOf(mine, n * 2);
                  }
                  mine[n++] = (System.nanoTime() - due) / 1000;
                }
                latencies[client] = mine;
                counts[client] = n;
              },
              "load-" + c);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (Math.max(System.nanoTime(), end) - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(latencies[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return new Result(
        rate > 0 ? String.format(Locale.ROOT, "%,.0f", rate) : "max (closed loop)",
        total,
        errors.get(),
        Math.min(elapsed, seconds),
        total / Math.min(elapsed, seconds),
        percentile(all, 0.50),
        percentile(all, 0.95),
        percentile(all, 0.99),
        total == 0 ? 0 : all[total - 1]);
  }

  private static long percentile(long[] sorted, double q) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
