package dev.lakerank.jobs.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.query.SqlScript.Statement;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsOnSemicolonsAndRemembersWhereEachStatementStarts() {
    String script =
        """
        -- counts; per type
        SELECT 1;

        SELECT 'a;b' AS x,
               `odd;name` AS y;
        /* trailing; comment */
        SELECT "it\\"s;" AS z
        """;
    assertThat(SqlScript.statements(script)).extracting(Statement::line).containsExactly(2, 4, 7);
    assertThat(SqlScript.statements(script))
        .extracting(Statement::sql)
        .containsExactly(
            "-- counts; per type\nSELECT 1",
            "SELECT 'a;b' AS x,\n       `odd;name` AS y",
            "/* trailing; comment */\nSELECT \"it\\\"s;\" AS z");
  }

  @Test
  void dropsStatementsMadeOnlyOfComments() {
    assertThat(SqlScript.statements("-- nothing here;\n/* nor; here */ ;\n ; ")).isEmpty();
  }

  @Test
  void keepsALastStatementWithoutSemicolon() {
    assertThat(SqlScript.statements("SELECT 1;\nSELECT 2\n"))
        .extracting(Statement::sql)
        .containsExactly("SELECT 1", "SELECT 2");
  }
}
