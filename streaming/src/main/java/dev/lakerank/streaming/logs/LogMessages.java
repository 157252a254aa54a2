package dev.lakerank.streaming.logs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.jobs.tables.FeedbackLog;
import dev.lakerank.jobs.tables.PredictionLog;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.StreamSource;
import dev.lakerank.jobs.transform.ParsedFields;
import dev.lakerank.jobs.validate.Expectation;
import dev.lakerank.jobs.validate.Expectations;
import dev.lakerank.jobs.validate.Validation;
import dev.lakerank.jobs.validate.Values;
import dev.lakerank.streaming.internal.JsonMessages;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Pure functions from the serving API's log messages (topics {@code predictions} and {@code
 * feedback}, one JSON object each) to rows of {@code ml.prediction_log} and {@code ml.feedback},
 * checked with the same kinds of expectations as events: a message that breaks one goes to {@code
 * quarantine.logs} with its rule and reason.
 */
public final class LogMessages {
  /** A kind of log message: its fields, how each is read, its rules, and its table's columns. */
  public record Kind(
      List<String> fields,
      Map<String, UnaryOperator<Column>> parsers,
      List<Expectation> rules,
      List<Column> columns) {}

  private static final String WHOLE_NUMBER = "a whole number";
  private static final String TIMESTAMP = "a timestamp (ISO-8601)";

  private LogMessages() {}

  /** {@code predictions}: one answer of the serving API. */
  public static Kind predictions() {
    Map<String, UnaryOperator<Column>> parsers = new LinkedHashMap<>();
    parsers.put(PredictionLog.USER_ID, Values::asLong);
    parsers.put(
        PredictionLog.ITEMS,
        text -> from_json(text, DataTypes.createArrayType(DataTypes.LongType)));
    parsers.put(
        PredictionLog.SCORES,
        text -> from_json(text, DataTypes.createArrayType(DataTypes.DoubleType)));
    parsers.put(PredictionLog.FALLBACK, LogMessages::asBoolean);
    parsers.put(PredictionLog.LATENCY_MICROS, Values::asLong);
    parsers.put(PredictionLog.CREATED_AT, Values::asTimestamp);
    List<Expectation> rules = new ArrayList<>(List.of(Expectations.wellFormed()));
    for (String field :
        List.of(
            PredictionLog.REQUEST_ID,
            PredictionLog.ENDPOINT,
            PredictionLog.ITEMS,
            PredictionLog.SCORES,
            PredictionLog.RANKER,
            PredictionLog.FALLBACK,
            PredictionLog.LATENCY_MICROS,
            PredictionLog.CREATED_AT)) {
      rules.add(Expectations.required(field));
    }
    rules.add(
        Expectations.parses(
            PredictionLog.USER_ID, ParsedFields.of(PredictionLog.USER_ID), WHOLE_NUMBER));
    rules.add(
        Expectations.parses(
            PredictionLog.ITEMS, ParsedFields.of(PredictionLog.ITEMS), "a JSON array of item ids"));
    rules.add(
        Expectations.parses(
            PredictionLog.SCORES,
            ParsedFields.of(PredictionLog.SCORES),
            "a JSON array of numbers"));
    rules.add(
        Expectations.parses(
            PredictionLog.FALLBACK, ParsedFields.of(PredictionLog.FALLBACK), "true or false"));
    rules.add(
        Expectations.parses(
            PredictionLog.LATENCY_MICROS,
            ParsedFields.of(PredictionLog.LATENCY_MICROS),
            WHOLE_NUMBER));
    rules.add(
        Expectations.parses(
            PredictionLog.CREATED_AT, ParsedFields.of(PredictionLog.CREATED_AT), TIMESTAMP));
    List<Column> columns =
        List.of(
            trim(col(PredictionLog.REQUEST_ID)).alias(PredictionLog.REQUEST_ID),
            trim(col(PredictionLog.ENDPOINT)).alias(PredictionLog.ENDPOINT),
            ParsedFields.of(PredictionLog.USER_ID).alias(PredictionLog.USER_ID),
            ParsedFields.of(PredictionLog.ITEMS).alias(PredictionLog.ITEMS),
            ParsedFields.of(PredictionLog.SCORES).alias(PredictionLog.SCORES),
            trim(col(PredictionLog.RECOMMENDER)).alias(PredictionLog.RECOMMENDER),
            trim(col(PredictionLog.RANKER)).alias(PredictionLog.RANKER),
            ParsedFields.of(PredictionLog.FALLBACK).alias(PredictionLog.FALLBACK),
            ParsedFields.of(PredictionLog.LATENCY_MICROS).alias(PredictionLog.LATENCY_MICROS),
            ParsedFields.of(PredictionLog.CREATED_AT).alias(PredictionLog.CREATED_AT));
    return new Kind(PredictionLog.MESSAGE_FIELDS, parsers, rules, columns);
  }

  /** {@code feedback}: what a user did with an answered item. */
  public static Kind feedback() {
    Map<String, UnaryOperator<Column>> parsers = new LinkedHashMap<>();
    parsers.put(FeedbackLog.ITEM_ID, Values::asLong);
    parsers.put(FeedbackLog.EVENT, Values::asKeyword);
    parsers.put(FeedbackLog.EVENT_VALUE, Values::asDouble);
    parsers.put(FeedbackLog.RECEIVED_AT, Values::asTimestamp);
    List<Expectation> rules = new ArrayList<>(List.of(Expectations.wellFormed()));
    for (String field :
        List.of(
            FeedbackLog.REQUEST_ID,
            FeedbackLog.ITEM_ID,
            FeedbackLog.EVENT,
            FeedbackLog.RECEIVED_AT)) {
      rules.add(Expectations.required(field));
    }
    rules.add(
        Expectations.parses(
            FeedbackLog.ITEM_ID, ParsedFields.of(FeedbackLog.ITEM_ID), WHOLE_NUMBER));
    rules.add(Expectations.atLeast(FeedbackLog.ITEM_ID, ParsedFields.of(FeedbackLog.ITEM_ID), 0));
    rules.add(
        Expectations.allowed(
            FeedbackLog.EVENT, ParsedFields.of(FeedbackLog.EVENT), FeedbackLog.EVENTS));
    rules.add(
        Expectations.parses(
            FeedbackLog.EVENT_VALUE, ParsedFields.of(FeedbackLog.EVENT_VALUE), "a number"));
    rules.add(
        Expectations.parses(
            FeedbackLog.RECEIVED_AT, ParsedFields.of(FeedbackLog.RECEIVED_AT), TIMESTAMP));
    List<Column> columns =
        List.of(
            trim(col(FeedbackLog.REQUEST_ID)).alias(FeedbackLog.REQUEST_ID),
            ParsedFields.of(FeedbackLog.ITEM_ID).alias(FeedbackLog.ITEM_ID),
            ParsedFields.of(FeedbackLog.EVENT).alias(FeedbackLog.EVENT),
            ParsedFields.of(FeedbackLog.EVENT_VALUE).alias(FeedbackLog.EVENT_VALUE),
            ParsedFields.of(FeedbackLog.RECEIVED_AT).alias(FeedbackLog.RECEIVED_AT));
    return new Kind(FeedbackLog.MESSAGE_FIELDS, parsers, rules, columns);
  }

  /**
   * Kafka rows of one topic with the message's fields as text, {@code _corrupt_record} for a
   * message that is not a JSON object, the payload, the Kafka coordinates and {@link
   * Validation#FIRST_RULE}.
   */
  public static Dataset<Row> check(Dataset<Row> kafka, Kind kind) {
    return Validation.check(
        ParsedFields.add(JsonMessages.parse(kafka, kind.fields()), kind.parsers()), kind.rules());
  }

  /** Valid checked rows as the kind's table rows, with the source columns. */
  public static Dataset<Row> rows(
      Dataset<Row> checked, Kind kind, String batchLabel, Instant ingested) {
    List<Column> columns = new ArrayList<>(kind.columns());
    columns.addAll(sourceColumns(batchLabel, ingested));
    return Validation.valid(checked).select(columns.toArray(Column[]::new));
  }

  /** Rejected checked rows as {@code quarantine.logs} rows. */
  public static Dataset<Row> quarantined(
      Dataset<Row> checked, Kind kind, String batchLabel, Instant ingested) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(JsonMessages.PAYLOAD).alias(QuarantineTable.RAW_PAYLOAD));
    columns.addAll(sourceColumns(batchLabel, ingested));
    columns.add(col(QuarantineTable.RULE));
    columns.add(col(QuarantineTable.REASON));
    columns.add(col(QuarantineTable.VIOLATIONS));
    columns.add(lit(Timestamp.from(ingested)).alias(QuarantineTable.QUARANTINED_AT));
    return Validation.rejected(checked, kind.rules()).select(columns.toArray(Column[]::new));
  }

  private static List<Column> sourceColumns(String batchLabel, Instant ingested) {
    return List.of(
        col(StreamSource.TOPIC),
        col(StreamSource.PARTITION),
        col(StreamSource.OFFSET),
        col(StreamSource.KAFKA_TIME),
        lit(Timestamp.from(ingested)).alias(StreamSource.INGEST_TIME),
        lit(batchLabel).alias(StreamSource.BATCH_ID));
  }

  /** {@code true} or {@code false} (any case), else null. */
  private static Column asBoolean(Column text) {
    Column keyword = lower(trim(text));
    return when(keyword.equalTo("true"), lit(true)).when(keyword.equalTo("false"), lit(false));
  }
}
