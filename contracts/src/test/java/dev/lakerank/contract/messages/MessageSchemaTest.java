package dev.lakerank.contract.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSchemaTest {
  @Test
  void refusesAFieldNamedTwice() {
    MessageField id = MessageSchema.required("id", FieldType.LONG, "the id");
    assertThatThrownBy(() -> new MessageSchema("things", List.of(id, id)))
        .hasMessageContaining("names field `id` twice");
  }

  @Test
  void refusesAFieldNameThatIsNotAColumnName() {
    assertThatThrownBy(() -> MessageSchema.required("requestId", FieldType.STRING, "the id"))
        .hasMessageContaining("`requestId` is not snake_case");
  }

  @Test
  void theLogMessagesNameTheAnswerTheyBelongTo() {
    assertThat(
            PredictionMessage.SCHEMA.field(PredictionMessage.REQUEST_ID).orElseThrow().required())
        .isTrue();
    assertThat(FeedbackMessage.SCHEMA.fieldNames()).startsWith(FeedbackMessage.REQUEST_ID);
    assertThat(PredictionMessage.SCHEMA.requiredFields())
        .extracting(MessageField::name)
        .doesNotContain(PredictionMessage.USER_ID, PredictionMessage.RECOMMENDER);
  }

  @Test
  void feedbackEventsFollowTheirPattern() {
    assertThat(FeedbackMessage.EVENTS)
        .allMatch(event -> event.matches(FeedbackMessage.EVENT_PATTERN));
    assertThat("hover").doesNotMatch(FeedbackMessage.EVENT_PATTERN);
  }
}
