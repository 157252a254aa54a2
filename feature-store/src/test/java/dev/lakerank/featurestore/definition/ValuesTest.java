package dev.lakerank.featurestore.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.featurestore.errors.DefinitionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void durationsInShortAndIsoForms() {
    assertThat(DurationText.parse("0")).isZero();
    assertThat(DurationText.parse("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse(" 35d ")).isEqualTo(Duration.ofDays(35));
    assertThat(DurationText.parse("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(DurationText.parse("PT48H")).isEqualTo(Duration.ofHours(48));
    assertThat(DurationText.format(Duration.ofHours(168))).isEqualTo("7d");
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThatThrownBy(() -> DurationText.parse("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30s, 5m, 2h, 7d");
  }

  @Test
  void featureReferencesOfFeastsForm() {
    FeatureReference reference = FeatureReference.parse("user_activity:ctr_7d");
    assertThat(reference.featureView()).isEqualTo("user_activity");
    assertThat(reference.fullName()).isEqualTo("user_activity__ctr_7d");
    assertThat(reference).hasToString("user_activity:ctr_7d");
    for (String bad : new String[] {"ctr_7d", ":ctr", "view:", "a:b:c"}) {
      assertThatThrownBy(() -> FeatureReference.parse(bad)).isInstanceOf(DefinitionException.class);
    }
  }

  @Test
  void valueTypesCarryFeastsProtoNumbersAndNames() {
    assertThat(ValueType.parse("Int64")).isEqualTo(ValueType.INT64);
    assertThat(ValueType.parse("INT64")).isEqualTo(ValueType.INT64);
    assertThat(ValueType.parse("float64")).isEqualTo(ValueType.DOUBLE);
    assertThat(ValueType.INT64.protoNumber()).isEqualTo(4);
    assertThat(ValueType.STRING.protoNumber()).isEqualTo(2);
    assertThat(ValueType.UNIX_TIMESTAMP.protoNumber()).isEqualTo(8);
  }
}
