package dev.sluice.starter.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.pipeline.TypedComponent;
import java.io.IOException;
import java.time.Duration;

/** How pipeline and routes files are read: one YAML mapper setup for both. */
public final class PipelineYaml {
  private PipelineYaml() {}

  /**
   * A YAML mapper that refuses duplicate keys (the second would silently win otherwise) and reads
   * durations as pipeline files write them ({@link Durations}).
   */
  public static ObjectMapper newMapper() {
    return YAMLMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .addModule(new JavaTimeModule())
        // Registered after JavaTimeModule, so it wins for Duration: it also reads "5s".
        .addModule(
            new SimpleModule("sluice-durations")
                .addDeserializer(Duration.class, new DurationDeserializer()))
        .build();
  }

  /**
   * Writes the {@code type} of {@code defaultComponent} into {@code component} when it is an object
   * that leaves its type out: a typed component's records are chosen by their type, and a YAML
   * file may omit the default one.
   */
  public static void defaultType(JsonNode component, TypedComponent defaultComponent) {
    if (component instanceof ObjectNode object && !object.has("type")) {
      object.put("type", defaultComponent.typeName());
    }
  }

  /**
   * Reads {@code 5s}, {@code 250ms}, {@code 10m}, {@code 2h}, {@code 1d} and ISO-8601 durations.
   */
  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        return (Duration) context.handleUnexpectedToken(Duration.class, parser);
      }
      String text = parser.getText().trim();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        return (Duration) context.handleWeirdStringValue(Duration.class, text, e.getMessage());
      }
    }
  }
}
