package dev.lakerank.serving.log;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** {@code feedback}; SQL for PostgreSQL, which H2 runs in MODE=PostgreSQL. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface FeedbackRepository extends CrudRepository<FeedbackEntry, Long> {
  List<FeedbackEntry> findByRequestId(String requestId);
}
