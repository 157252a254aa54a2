package dev.lakerank.serving.config;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.convert.TypeConverter;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The settings that are a choice, read from their configuration text with a message that names the
 * setting and the choices (Micronaut's own enum conversion says neither).
 */
final class ChoiceConverters {
  private ChoiceConverters() {}

  @Singleton
  static final class FeatureSources implements TypeConverter<String, FeatureSourceKind> {
    @Override
    public Optional<FeatureSourceKind> convert(
        String text, Class<FeatureSourceKind> type, ConversionContext context) {
      return Optional.of(FeatureSourceKind.parse(text));
    }
  }

  @Singleton
  static final class Registries implements TypeConverter<String, RegistryType> {
    @Override
    public Optional<RegistryType> convert(
        String text, Class<RegistryType> type, ConversionContext context) {
      return Optional.of(RegistryType.parse(text));
    }
  }
}
