package dev.goldsmith.hcloud.error;

import java.util.List;

/** One entry of {@code details.fields} ({@code invalid_input}, {@code uniqueness_error}). */
public record FieldError(String name, List<String> messages) {

  public FieldError {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
