package dev.lakerank.serving.log;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** {@code prediction_log}; SQL for PostgreSQL, which H2 runs in MODE=PostgreSQL. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PredictionLogRepository extends CrudRepository<PredictionEntry, Long> {
  List<PredictionEntry> findByRequestId(String requestId);
}
