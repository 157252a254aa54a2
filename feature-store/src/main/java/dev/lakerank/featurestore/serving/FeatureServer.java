package dev.lakerank.featurestore.serving;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.errors.InvalidFeatureRequest;
import dev.lakerank.featurestore.errors.OnlineStoreException;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import feast.proto.serving.ServingAPIProto.GetFeastServingInfoRequest;
import feast.proto.serving.ServingAPIProto.GetFeastServingInfoResponse;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.serving.ServingServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feast's gRPC feature server ({@code feast.serving.ServingService}: GetOnlineFeatures and
 * GetFeastServingInfo), answering from an {@link OnlineFeatureService}. Feast's Java client ({@code
 * dev.feast:feast-serving-client}) and Go clients call it as they call Feast's own server. A bad
 * request gets INVALID_ARGUMENT with the reason; an online store that fails gets UNAVAILABLE. The
 * standard gRPC health service answers too.
 */
public final class FeatureServer implements AutoCloseable {
  /** Feast's port for its gRPC feature server. */
  public static final int DEFAULT_PORT = 6566;

  private static final Logger LOG = Logger.getLogger(FeatureServer.class.getName());

  private final Server server;

  private FeatureServer(Server server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static FeatureServer start(
      OnlineFeatureService features, String host, int port, String version) {
    requireNonNull(features, "features");
    HealthStatusManager health = new HealthStatusManager();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .addService(new Service(features, version))
            .addService(health.getHealthService())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve features on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); choose another port with --port",
          e);
    }
    return new FeatureServer(server);
  }

  /** The port served. */
  public int port() {
    return server.getPort();
  }

  /** Waits until the server stops. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static final class Service extends ServingServiceGrpc.ServingServiceImplBase {
    private final OnlineFeatureService features;
    private final String version;

    Service(OnlineFeatureService features, String version) {
      this.features = features;
      this.version = version;
    }

    @Override
    public void getFeastServingInfo(
        GetFeastServingInfoRequest request, StreamObserver<GetFeastServingInfoResponse> observer) {
      observer.onNext(GetFeastServingInfoResponse.newBuilder().setVersion(version).build());
      observer.onCompleted();
    }

    @Override
    public void getOnlineFeatures(
        GetOnlineFeaturesRequest request, StreamObserver<GetOnlineFeaturesResponse> observer) {
      GetOnlineFeaturesResponse response;
      try {
        response = features.get(request).toProto();
      } catch (InvalidFeatureRequest e) {
        observer.onError(
            Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        return;
      } catch (OnlineStoreException e) {
        LOG.log(Level.WARNING, "online store failed", e);
        observer.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "GetOnlineFeatures failed", e);
        observer.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        return;
      }
      observer.onNext(response);
      observer.onCompleted();
    }
  }
}
