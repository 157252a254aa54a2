package dev.lakerank.serving.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}). A test that needs
 * it is skipped with a message when it does not answer, and fails under {@code CI=true}.
 */
public final class Postgres {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  public static final String URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/test";
  public static final String USER = "postgres";

  private Postgres() {}

  /** Skips (or, under CI, fails) the calling test unless PostgreSQL answers. */
  public static void require(String what) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 2000);
    } catch (IOException e) {
      String message =
          "PostgreSQL is not reachable at "
              + HOST
              + ":"
              + PORT
              + " ("
              + e.getMessage()
              + "); start it (trust auth, database test) to run "
              + what;
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(message, e);
      }
      Assumptions.abort(message);
    }
  }

  /** A connection to database {@code test}. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, "");
  }
}
